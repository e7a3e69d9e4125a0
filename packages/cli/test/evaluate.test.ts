import { execFile, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeNpy } from '@gradscope/core';
import { builtinMetrics } from '@gradscope/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRICS_PLUGIN, SHAPES_ONNX, writeShapes } from './evaluate-fixture.js';

// `gradscope evaluate` as users run it: `node dist/bin.js` in a child process on the shapes ONNX model,
// generated images and masks, and metrics from a plugin file (the built-in ones live in @gradscope/metrics).
const pkg = fileURLToPath(new URL('..', import.meta.url));
const bin = join(pkg, 'dist', 'bin.js');
const N = 40;
let dir: string;

const ARGS = ['evaluate', 'img', '--model', SHAPES_ONNX, '--plugin', './metrics.mjs', '--method', 'gradcam,saliency'];
const METRICS = ['--metrics', 'mean-map,mask-mass,drop-half', '--masks', 'masks'];

function gradscope(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

const lines = (out: string) => readFileSync(join(dir, out, 'results.jsonl'), 'utf8');
const curveLines = (out: string) => readFileSync(join(dir, out, 'curves.jsonl'), 'utf8');
const parse = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(() => {
  execFileSync(process.execPath, [join(pkg, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc'), '-b', pkg], {
    stdio: 'pipe',
  });
  dir = mkdtempSync(join(tmpdir(), 'gradscope-evaluate-'));
  writeShapes(dir, N);
  writeFileSync(join(dir, 'metrics.mjs'), METRICS_PLUGIN);
}, 300_000);
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

describe('gradscope evaluate', () => {
  it('writes one JSON line per (image, method) in input order, and a self-contained report', async () => {
    const r = await gradscope([...ARGS, ...METRICS, '--out', 'full']);
    expect(r.stderr).not.toMatch(/gradscope:/);
    expect(r.code).toBe(0);
    const text = lines('full');
    expect(text.endsWith('\n')).toBe(true);
    const records = parse(text);
    expect(records).toHaveLength(2 * N);
    // the curves the report plots are in curves.jsonl, one line per record, in the same order
    const curves = parse(curveLines('full'));
    expect(curves).toHaveLength(2 * N);
    records.forEach((rec, i) => {
      expect(rec.image).toBe(`s${String(i >> 1).padStart(3, '0')}.png`);
      expect(rec.method).toBe(i % 2 ? 'saliency' : 'gradcam');
      // exactly issue 14's contract fields
      expect(Object.keys(rec)).toEqual(['image', 'method', 'target', 'metrics']);
      expect(Object.keys(curves[i]!)).toEqual(['image', 'method', 'curves']);
      expect([curves[i]!.image, curves[i]!.method]).toEqual([rec.image, rec.method]);
      expect(Number.isInteger(rec.target)).toBe(true);
      const m = rec.metrics as Record<string, number>;
      expect(Object.keys(m)).toEqual(['mean-map', 'mask-mass', 'drop-half']);
      expect(m['mask-mass']).toBeGreaterThanOrEqual(0);
      expect(m['mask-mass']).toBeLessThanOrEqual(1);
      // curves are kept resampled at x = 0, 0.05, …, 1 (the plugin's is the line from 0 to its value)
      const curve = (curves[i]!.curves as Record<string, { x: number[]; y: number[] }>)['mean-map']!;
      expect(curve.x).toHaveLength(21);
      expect(curve.y[20]).toBe(m['mean-map']);
      expect(curve.y[10]).toBeCloseTo(m['mean-map']! / 2, 12);
    });
    // Grad-CAM's map sits on the object far more than saliency's on this model (a property of the data)
    const mean = (method: string) => {
      const xs = records
        .filter((x) => x.method === method)
        .map((x) => (x.metrics as Record<string, number>)['mask-mass']!);
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    expect(mean('gradcam')).toBeGreaterThan(mean('saliency'));
    const html = readFileSync(join(dir, 'full', 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toMatch(/<th>gradcam<\/th>/);
    expect(html).toContain('data:image/png;base64,');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    // the sanity checks (Adebayo et al.): one cascading-randomisation figure per method, from the logits down
    const sanity = html.slice(html.indexOf('<h2>Sanity check</h2>'));
    expect(sanity).toMatch(/layers re-initialised from the top: \(logits\), \w+/);
    for (const method of ['gradcam', 'saliency'])
      expect(sanity).toMatch(
        new RegExp(
          `<figure><figcaption>${method}</figcaption><svg[^>]*>.*Model randomisation test \\(cascading\\)`,
          's',
        ),
      );
  });

  it('--workers 2 writes the same file as one worker, byte for byte', async () => {
    const r = await gradscope([...ARGS, ...METRICS, '--out', 'two', '--workers', '2']);
    expect(r.stderr).not.toMatch(/gradscope:/);
    expect(r.code).toBe(0);
    expect(lines('two')).toBe(lines('full'));
    expect(curveLines('two')).toBe(curveLines('full'));
  });

  it('killed with SIGKILL mid-run and resumed: the same records as an uninterrupted run, none twice', async () => {
    const child = spawn(process.execPath, [bin, ...ARGS, ...METRICS, '--out', 'killed'], { cwd: dir, stdio: 'ignore' });
    const file = join(dir, 'killed', 'results.jsonl');
    const count = () => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0);
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    while (count() < 6) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const atKill = count();
    expect(atKill).toBeLessThan(2 * N);
    expect(existsSync(join(dir, 'killed', 'report.html'))).toBe(false);
    // a kill in the middle of a write leaves a line without its newline: resume must drop it; a kill
    // between a batch's curves and its records leaves curves of records not written: resume drops them
    appendFileSync(file, '{"image":"s0');
    const curvesFile = join(dir, 'killed', 'curves.jsonl');
    const orphan = parse(curveLines('full')).find((c) => !readFileSync(file, 'utf8').includes(`"image":"${c.image}"`))!;
    appendFileSync(curvesFile, `${JSON.stringify(orphan)}\n{"image":"s0`);
    const again = await gradscope([...ARGS, ...METRICS, '--out', 'killed']);
    expect(again.code).toBe(1); // without --resume it refuses to touch the results
    expect(again.stderr).toMatch(/already holds results: pass --resume/);
    const r = await gradscope([...ARGS, ...METRICS, '--out', 'killed', '--resume']);
    expect(r.stderr).not.toMatch(/gradscope:/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${2 * N - atKill} new record(s), ${atKill} from before (a torn last line was dropped)`);
    expect(lines('killed')).toBe(lines('full'));
    expect(curveLines('killed')).toBe(curveLines('full'));
    expect(existsSync(join(dir, 'killed', 'report.html'))).toBe(true);
    // the report after a resume plots the curves of the records from before too
    const curvesSection = (out: string) => {
      const html = readFileSync(join(dir, out, 'report.html'), 'utf8');
      return html.slice(html.indexOf('<h2>Curves'), html.indexOf('</div>', html.indexOf('<h2>Curves')));
    };
    expect(curvesSection('killed')).toContain('<svg');
    expect(curvesSection('killed')).toBe(curvesSection('full'));
    // resuming a finished run adds nothing
    const done = await gradscope([...ARGS, ...METRICS, '--out', 'killed', '--resume']);
    expect(done.stdout).toContain('0 new record(s)');
    expect(lines('killed')).toBe(lines('full'));
    expect(curveLines('killed')).toBe(curveLines('full'));
  });

  it('an unknown metric, or a mask metric without masks, is one line naming it; nothing is written', async () => {
    const a = await gradscope([...ARGS, '--metrics', 'mean-map,nope', '--out', 'bad']);
    const available = [...builtinMetrics.map((m) => m.id), 'drop-half', 'mask-mass', 'mean-map'].sort();
    expect(a.stderr).toBe(`gradscope: unknown metric 'nope'; available: ${available.join(', ')}\n`);
    const b = await gradscope([...ARGS, '--metrics', 'mean-map,mask-mass', '--out', 'bad']);
    expect(b.stderr).toBe(
      "gradscope: metric 'mask-mass' needs ground-truth masks: pass --masks <dir> (or 'mask' in the manifest)\n",
    );
    expect([a.code, b.code]).toEqual([2, 2]);
    expect(existsSync(join(dir, 'bad'))).toBe(false);
  });

  it('a manifest fixes targets and masks per image', async () => {
    const manifest = [
      '{"image": "img/s000.png", "target": "square", "mask": "masks/s000.png"}',
      '{"image": "img/s001.png", "target": 4, "mask": "masks/s001.png"}',
    ];
    writeFileSync(join(dir, 'list.jsonl'), `${manifest.join('\n')}\n`);
    const r = await gradscope(['evaluate', 'list.jsonl', ...ARGS.slice(2), '--metrics', 'mask-mass', '--out', 'man']);
    expect(r.code).toBe(0);
    const recs = lines('man')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { image: string; target: number });
    expect(recs.map((x) => [x.image, x.target])).toEqual([
      ['img/s000.png', 1],
      ['img/s000.png', 1],
      ['img/s001.png', 4],
      ['img/s001.png', 4],
    ]);
  });
});

describe('gradscope explain --metrics', () => {
  it("adds each method's metrics to result.json, computed on the map it wrote, equal to evaluate's", async () => {
    const r = await gradscope([
      'explain',
      'img/s003.png',
      '--model',
      SHAPES_ONNX,
      '--plugin',
      './metrics.mjs',
      '--method',
      'gradcam,saliency',
      '--metrics',
      'mean-map,drop-half',
      '--out',
      'ex',
    ]);
    expect(r.code).toBe(0);
    const result = JSON.parse(readFileSync(join(dir, 'ex', 'result.json'), 'utf8')) as {
      methods: { id: string; metrics: Record<string, number> }[];
    };
    const full = lines('full')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { image: string; method: string; metrics: Record<string, number> });
    for (const m of result.methods) {
      const map = decodeNpy(new Uint8Array(readFileSync(join(dir, 'ex', `${m.id}.npy`))));
      const own = map.shape.length === 2 ? map.data : null;
      if (own) expect(m.metrics['mean-map']).toBeCloseTo(own.reduce((a, b) => a + b, 0) / own.length, 6);
      const rec = full.find((x) => x.image === 's003.png' && x.method === m.id)!;
      expect(m.metrics).toEqual({ 'mean-map': rec.metrics['mean-map'], 'drop-half': rec.metrics['drop-half'] });
    }
    const bad = await gradscope([
      'explain',
      'img/s003.png',
      '--model',
      SHAPES_ONNX,
      '--plugin',
      './metrics.mjs',
      '--metrics',
      'mask-mass',
      '--out',
      'ex2',
    ]);
    expect(bad.stderr).toMatch(/^gradscope: metric 'mask-mass' needs ground-truth masks: explain takes none/);
  });
});
