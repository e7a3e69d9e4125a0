import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureDir, type FixtureManifest } from '@gradscope/conformance';
import { decodeNpy, encodeNpy, nchwToNhwc, type Tensor } from '@gradscope/core';
import { defaultWiring, main } from '../src/index.js';
import { fakeWiring, memoryIo } from './fake-wiring.js';

// --plugin on the fake backend: methods from a file or package join the registry for every command.
let dir: string;
const S = 8;
const EXAMPLE = new URL('../../../examples/plugin-normgrad/', import.meta.url);
const NORMGRAD = fileURLToPath(new URL('dist/index.js', EXAMPLE));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gradscope-plugins-'));
  writeFileSync(join(dir, 'net.json'), JSON.stringify({ fake: true, classes: 4, size: S }));
  const method = (
    id: string,
  ) => `{ id: '${id}', title: '${id}', description: 'a plugin method', space: 'input', usesLayers: false, requires: ['activations'], options: { gain: { type: 'number', default: 2, description: 'gain' } },
    async explain(ctx, o) { const n = ctx.model.input.height * ctx.model.input.width; return { map: { data: new Float32Array(n).fill(0.5), shape: [ctx.model.input.height, ctx.model.input.width] }, raw: { data: ctx.input.data.map((v) => v * o.gain), shape: ctx.input.shape }, target: { classIndex: 0, score: 0, seed: new Float32Array(4), label: 'class 0' } }; } }`;
  writeFileSync(join(dir, 'flat.mjs'), `export const flat = ${method('flat')};\nexport const helper = 42;\n`);
  writeFileSync(join(dir, 'listed.mjs'), `export default [${method('one')}, ${method('two')}];\n`);
  writeFileSync(join(dir, 'empty.mjs'), 'export const nothing = 1;\n');
  writeFileSync(join(dir, 'throws.mjs'), "throw new Error('plugin init failed\\nsecond line');\n");
  writeFileSync(join(dir, 'clash.mjs'), `export const ramp = ${method('ramp')};\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const m = memoryIo(dir, {});
  const code = await main(args, m.io, fakeWiring);
  return { code, stdout: m.stdout(), stderr: m.stderr() };
}

describe('gradscope --plugin', () => {
  it("methods lists a file plugin's exported methods (and its options as flags); --plugin= works too", async () => {
    const r = await run(['methods', '--json', '--plugin', './flat.mjs', '--plugin=./listed.mjs']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { id: string; options: { flag: string }[] }[];
    expect(rows.map((x) => x.id)).toEqual(expect.arrayContaining(['flat', 'one', 'two', 'ramp']));
    expect(rows.find((x) => x.id === 'flat')!.options.map((o) => o.flag)).toEqual(['--flat.gain']);
  });

  it('explain runs a plugin method with its option flag', async () => {
    const npy = join(dir, 'in.npy');
    const { encodeNpy } = await import('@gradscope/core');
    writeFileSync(
      npy,
      encodeNpy({ data: Float32Array.from({ length: S * S * 3 }, (_, i) => i / 100), shape: [1, S, S, 3] }),
    );
    const r = await run([
      'explain',
      'in.npy',
      '--model',
      'net.json',
      '--backend',
      'fake',
      '--out',
      'o',
      '--plugin',
      './flat.mjs',
      '--method',
      'flat',
      '--flat.gain',
      '3',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'o', 'flat.npy'))).toBe(true);
    const raw = decodeNpy(new Uint8Array(readFileSync(join(dir, 'o', 'flat.npy'))));
    expect(raw.data[10]).toBeCloseTo(3 * (10 / 100), 6); // the plugin's raw = input · gain, gain from --flat.gain
  });

  it('the real example plugin package (examples/plugin-normgrad) loads by path', async () => {
    const r = await run(['methods', '--json', '--plugin', NORMGRAD]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { id: string }[]).map((x) => x.id)).toContain('normgrad');
  });

  it.each([
    [['--plugin', './empty.mjs'], 1, /^gradscope: plugin '\.\/empty\.mjs' exports no gradscope methods/],
    [['--plugin', './missing.mjs'], 1, /^gradscope: cannot load plugin '\.\/missing\.mjs': /],
    [['--plugin', './throws.mjs'], 1, /^gradscope: cannot load plugin '\.\/throws\.mjs': plugin init failed$/],
    [
      ['--plugin', 'gradscope-plugin-not-installed'],
      1,
      /^gradscope: cannot find plugin 'gradscope-plugin-not-installed' from /,
    ],
    [['--plugin', './clash.mjs'], 1, /^gradscope: .*ramp/],
    [['--plugin'], 2, /^gradscope: --plugin needs a value/],
  ] as const)('%j: one line, exit %i', async (flags, code, message) => {
    const r = await run(['methods', ...flags]);
    expect(r.code).toBe(code);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.stdout).toBe('');
  });
});

// The example plugin through the real composition (both backends) on the conformance fixture tiny-cnn,
// next to a built-in method: NormGrad against the example's golden from torch autograd's activations
// and gradients (examples/plugin-normgrad/scripts/make-normgrad-golden.py), Grad-CAM against torch's.
describe.each([
  ['onnx', 'model.onnx', (x: Tensor) => x],
  ['tfjs', 'tfjs/model.json', nchwToNhwc],
] as const)('gradscope explain --plugin gradscope-plugin-normgrad on tiny-cnn (%s)', (backend, file, layout) => {
  it('runs --method gradcam,normgrad; both maps match their goldens at relu3', async () => {
    const FIX = fixtureDir('tiny-cnn');
    const tol = (JSON.parse(readFileSync(join(FIX, 'manifest.json'), 'utf8')) as FixtureManifest).tolerances.camMap;
    const npy = (path: string): Tensor => decodeNpy(new Uint8Array(readFileSync(path)));
    writeFileSync(join(dir, `x0-${backend}.npy`), encodeNpy(layout(npy(join(FIX, 'inputs', 'x0.npy')))));
    const m = memoryIo(dir, {});
    const args = ['explain', `x0-${backend}.npy`, '--model', join(FIX, file), '--backend', backend, '--layer', 'auto'];
    const out = `normgrad-${backend}`;
    const code = await main(
      [...args, '--plugin', NORMGRAD, '--method', 'gradcam,normgrad', '--out', out],
      m.io,
      await defaultWiring(),
    );
    expect(m.stderr()).toBe('');
    expect(code).toBe(0);
    const goldens = {
      gradcam: join(FIX, 'golden', 'x0', 'top1', 'gradcam-relu3.npy'),
      normgrad: fileURLToPath(new URL('test/fixtures/tiny-cnn-x0-top1-relu3.npy', EXAMPLE)),
    };
    for (const [id, golden] of Object.entries(goldens)) {
      const [map, want] = [npy(join(dir, out, `${id}.npy`)), npy(golden)];
      expect(map.shape).toEqual([32, 32]);
      const maxAbs = Math.max(...Array.from(map.data, (v, i) => Math.abs(v - want.data[i]!)));
      expect(maxAbs, id).toBeLessThan(tol.maxAbs!);
    }
  });
});
