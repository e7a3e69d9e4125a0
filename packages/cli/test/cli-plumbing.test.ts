import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeNpy, encodeNpy, softmax } from '@gradscope/core';
import pngjs from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, OUTPUT_MARKER } from '../src/index.js';
import { fakeWiring, live, memoryIo } from './fake-wiring.js';

// CLI plumbing on a fake backend (no runtime): flags, one-line errors, exit codes, staging, naming.
let dir: string;
const S = 8;

function png(w: number, h: number, rgb: [number, number, number]): Buffer {
  const p = new pngjs.PNG({ width: w, height: h });
  for (let i = 0; i < w * h; i++) p.data.set([...rgb, 255], i * 4);
  return pngjs.PNG.sync.write(p);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gradscope-cli-'));
  writeFileSync(join(dir, 'net.json'), JSON.stringify({ fake: true, classes: 4, size: S }));
  writeFileSync(
    join(dir, 'net.gradscope.json'),
    JSON.stringify({
      classes: ['red', 'green', 'blue', 'none'],
      normalization: { mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] },
    }),
  );
  writeFileSync(join(dir, 'broken.json'), '{ not json');
  writeFileSync(join(dir, 'net.onnx'), 'not really onnx');
  writeFileSync(join(dir, 'other.json'), JSON.stringify({ fake: true, classes: 3, size: S }));
  writeFileSync(join(dir, 'other.gradscope.json'), '{"classes": "nope"}');
  writeFileSync(join(dir, 'red.png'), png(4, 4, [255, 0, 0]));
  mkdirSync(join(dir, 'b'));
  writeFileSync(join(dir, 'b', 'red.png'), png(16, 16, [0, 0, 255]));
  writeFileSync(
    join(dir, 'corrupt.png'),
    Buffer.concat([png(4, 4, [1, 2, 3]).subarray(0, 30), Buffer.from('garbage')]),
  );
  writeFileSync(join(dir, 'notes.txt'), 'hello');
  const x = Float32Array.from({ length: S * S * 3 }, (_, i) => Math.sin(i));
  writeFileSync(join(dir, 'x.npy'), encodeNpy({ data: x, shape: [1, S, S, 3] }));
  writeFileSync(join(dir, 'nobatch.npy'), encodeNpy({ data: x, shape: [S, S, 3] }));
  writeFileSync(join(dir, 'wrong.npy'), encodeNpy({ data: new Float32Array(4 * 4 * 3), shape: [1, 4, 4, 3] }));
  const nan = x.slice();
  nan[5] = NaN;
  writeFileSync(join(dir, 'nan.npy'), encodeNpy({ data: nan, shape: [1, S, S, 3] }));
  mkdirSync(join(dir, 'taken'));
  writeFileSync(join(dir, 'taken', 'keep.txt'), 'mine');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], env: Record<string, string> = {}) {
  const m = memoryIo(dir, env);
  const code = await main(args, m.io, fakeWiring);
  return { code, stdout: m.stdout(), stderr: m.stderr() };
}

/** Reads a .npy file (copied into a plain Uint8Array: core's decodeNpy misreads pooled Buffers). */
const npy = (file: string) => decodeNpy(new Uint8Array(readFileSync(file)));

/** No output folder and no staging leftovers next to it. */
function noOutput(name: string) {
  expect(existsSync(join(dir, name))).toBe(false);
  expect(readdirSync(dir).filter((f) => f.startsWith(`.${name}.`))).toEqual([]);
}

const explainArgs = (...extra: string[]) => [
  'explain',
  'x.npy',
  '--model',
  'net.json',
  '--backend',
  'fake',
  '--out',
  'o',
  '--method',
  'ramp',
  ...extra,
];

describe('bad input: one line on stderr, non-zero exit, no output folder', () => {
  const cases: [string, string[], RegExp, number][] = [
    [
      'missing input',
      ['explain', 'nope.png', '--model', 'net.json', '--backend', 'fake', '--out', 'o', '--method', 'ramp'],
      /^gradscope: input file not found: nope\.png$/,
      1,
    ],
    ['missing model', explainArgs('--model', 'missing.json'), /^gradscope: model file not found: missing\.json$/, 1],
    ['corrupt model', explainArgs('--model', 'broken.json'), /^gradscope: cannot load model 'broken\.json': .*JSON/, 1],
    [
      'corrupt sidecar',
      explainArgs('--model', 'other.json'),
      /^gradscope: sidecar .*other\.gradscope\.json: classes must be an array of strings$/,
      1,
    ],
    [
      'unknown layer',
      explainArgs('--method', 'ramp', '--layer', 'conv9'),
      /^gradscope: unknown layer 'conv9'; available layers: input, conv1, conv2, gap, fc$/,
      1,
    ],
    [
      'unknown layer for a method that uses none',
      explainArgs('--method', 'echo', '--layer', 'conv9'),
      /^gradscope: unknown layer 'conv9'; available layers: input, conv1, conv2, gap, fc$/,
      1,
    ],
    [
      '.onnx model defaults to the onnx backend',
      ['explain', 'x.npy', '--model', 'net.onnx', '--out', 'o'],
      /^gradscope: backend 'onnx' is not installed\/registered; available: fake$/,
      1,
    ],
    [
      'unknown method',
      explainArgs('--method', 'ramp,nope'),
      /^gradscope: unknown method 'nope'; registered methods: ramp, echo, trainer, boom$/,
      1,
    ],
    [
      'target out of range',
      explainArgs('--method', 'ramp', '--target', '4'),
      /^gradscope: target class 4 is out of range: the model has 4 classes \(0–3\)$/,
      1,
    ],
    [
      'negative target',
      explainArgs('--method', 'ramp', '--target=-1'),
      /^gradscope: target class -1 is out of range/,
      1,
    ],
    [
      'negative target as a separate value',
      explainArgs('--method', 'ramp', '--target', '-1'),
      /^gradscope: target class -1 is out of range/,
      1,
    ],
    [
      'unknown target name',
      explainArgs('--target', 'purple'),
      /^gradscope: unknown target 'purple': expected top1, a class index or a class name \(red, green, blue, none\)$/,
      1,
    ],
    [
      'wrong tensor shape',
      ['explain', 'wrong.npy', '--model', 'net.json', '--backend', 'fake', '--out', 'o', '--method', 'ramp'],
      /^gradscope: wrong\.npy: input has shape \[1, 4, 4, 3\], expected \[1, 8, 8, 3\]$/,
      1,
    ],
    [
      'NaN in input',
      ['explain', 'nan.npy', '--model', 'net.json', '--backend', 'fake', '--out', 'o', '--method', 'ramp'],
      /^gradscope: nan\.npy: input contains a non-finite value \(NaN\) at flat index 5$/,
      1,
    ],
    [
      'corrupt PNG',
      ['explain', 'corrupt.png', '--model', 'net.json', '--backend', 'fake', '--out', 'o', '--method', 'ramp'],
      /^gradscope: corrupt\.png: cannot decode PNG: /,
      1,
    ],
    [
      'not an image',
      ['explain', 'notes.txt', '--model', 'net.json', '--backend', 'fake', '--out', 'o', '--method', 'ramp'],
      /^gradscope: notes\.txt: not a PNG, JPEG or \.npy file$/,
      1,
    ],
    [
      'missing capability',
      explainArgs('--method', 'trainer'),
      /^gradscope: method 'trainer' needs training, which backend 'fake' does not provide$/,
      1,
    ],
    [
      'unregistered backend',
      explainArgs('--backend', 'onnx'),
      /^gradscope: backend 'onnx' is not installed\/registered; available: fake$/,
      1,
    ],
    [
      'option out of range',
      explainArgs('--method', 'ramp', '--ramp.gain', '5'),
      /^gradscope: method 'ramp', option 'gain': 5 is above the maximum 1$/,
      1,
    ],
    [
      'bad enum option',
      explainArgs('--method', 'ramp', '--ramp.mode', 'c'),
      /^gradscope: method 'ramp', option 'mode': expected one of a, b, got "c"$/,
      1,
    ],
    [
      'non-numeric option',
      explainArgs('--method', 'ramp', '--ramp.gain', 'abc'),
      /^gradscope: --ramp\.gain expects a number, got 'abc'$/,
      2,
    ],
    [
      'option of an unselected method',
      explainArgs('--method', 'ramp', '--echo.flip'),
      /^gradscope: --echo\.flip was given but method 'echo' is not selected/,
      2,
    ],
    [
      'unknown flag',
      explainArgs('--bogus'),
      /^gradscope: unknown option '--bogus' for 'explain' \(see 'gradscope explain --help'\)$/,
      2,
    ],
    [
      'flag without value',
      ['explain', 'x.npy', '--backend', 'fake', '--out', 'o', '--model'],
      /^gradscope: --model needs a value$/,
      2,
    ],
    ['missing --model', ['explain', 'x.npy', '--out', 'o'], /^gradscope: explain needs --model <file>/, 2],
    ['no inputs', ['explain', '--model', 'net.json', '--out', 'o'], /^gradscope: explain needs at least one input/, 2],
    ['bad --size', explainArgs('--size', '0'), /^gradscope: --size expects a positive integer, got '0'$/, 2],
    ['bad --mean', explainArgs('--mean', '0.5,x,0.5'), /^gradscope: --mean expects comma-separated numbers/, 2],
    [
      '--size against a fixed model',
      explainArgs('--size', '16'),
      /^gradscope: --size 16 does not match the model's fixed input size 8×8$/,
      1,
    ],
    [
      '--mean/--std length mismatch',
      explainArgs('--mean', '0.5,0.5,0.5', '--std', '1,1'),
      /^gradscope: --mean has 3 values but --std has 2$/,
      1,
    ],
    [
      'failure while running',
      explainArgs('--method', 'ramp,boom'),
      /^gradscope: RangeError: kaboom \(rerun with --debug for the stack\)$/,
      1,
    ],
    [
      'unknown command',
      ['explian'],
      /^gradscope: unknown command 'explian'; commands: explain, evaluate, layers, methods, demo, gain, worker$/,
      2,
    ],
    ['layers without --model', ['layers'], /^gradscope: layers needs --model <file>/, 2],
    [
      'methods with a stray argument',
      ['methods', 'extra'],
      /^gradscope: unexpected argument 'extra': 'methods' takes no inputs$/,
      2,
    ],
  ];
  it.each(cases)('%s', async (_name, args, message, exitCode) => {
    const r = await run(args);
    expect(r.stderr).toMatch(/^gradscope: [^\n]+\n$/);
    expect(r.stderr.trimEnd()).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(exitCode);
    expect(r.stdout).toBe('');
    noOutput('o');
    expect(live.models).toBe(0);
  });

  it('--debug and GRADSCOPE_DEBUG=1 add the stack', async () => {
    for (const r of [
      await run(explainArgs('--method', 'ramp,boom', '--debug')),
      await run(explainArgs('--method', 'ramp,boom'), { GRADSCOPE_DEBUG: '1' }),
    ]) {
      expect(r.code).toBe(1);
      expect(r.stderr.split('\n')[0]).toBe('gradscope: RangeError: kaboom (rerun with --debug for the stack)');
      expect(r.stderr).toMatch(/\n\s+at /);
    }
    noOutput('o');
  });

  it('refuses to replace a folder gradscope did not write, and leaves it alone', async () => {
    const r = await run(explainArgs('--out', 'taken'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^gradscope: output directory '.*taken' is not empty and was not written by gradscope; remove it or choose another --out\n$/,
    );
    expect(readdirSync(join(dir, 'taken'))).toEqual(['keep.txt']);
    expect(live.models).toBe(0);
  });

  it('a failed run leaves an earlier output untouched', async () => {
    expect((await run(explainArgs('--method', 'ramp', '--out', 'keep'))).code).toBe(0);
    const before = readFileSync(join(dir, 'keep', 'result.json'), 'utf8');
    const r = await run(explainArgs('--method', 'ramp,boom', '--out', 'keep', '--ramp.gain', '0.5'));
    expect(r.code).toBe(1);
    expect(readFileSync(join(dir, 'keep', 'result.json'), 'utf8')).toBe(before);
    expect(readdirSync(dir).filter((f) => f.startsWith('.keep.'))).toEqual([]);
  });
});

describe('explain on the fake backend', () => {
  it('writes one input straight into --out, with npy files, result.json and the gallery', async () => {
    const r = await run(
      explainArgs('--method', 'ramp,echo', '--ramp.gain', '0.5', '--no-echo.flip', '--target', 'green'),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const o = join(dir, 'o');
    expect(readdirSync(o).sort()).toEqual(
      [
        OUTPUT_MARKER,
        'echo.npy',
        'echo.png',
        'grid.png',
        'index.html',
        'input.png',
        'ramp.npy',
        'ramp.png',
        'ramp.raw.npy',
        'result.json',
      ].sort(),
    );
    expect(r.stdout).toContain(`gallery: ${join('o', 'index.html')}`);
    // ramp: map_i = 0.5 · i / 64 (the flag reached the method through core's option checks)
    const ramp = npy(join(o, 'ramp.npy'));
    expect(ramp.shape).toEqual([S, S]);
    expect(Array.from(ramp.data)).toEqual(
      Array.from(Float32Array.from({ length: S * S }, (_, i) => (0.5 * i) / (S * S))),
    );
    expect(npy(join(o, 'ramp.raw.npy')).shape).toEqual([2, 2]);
    // echo: the attribution is the .npy input itself, used as is (no re-normalisation)
    const x = npy(join(dir, 'x.npy'));
    const echo = npy(join(o, 'echo.npy'));
    expect(echo.shape).toEqual([1, S, S, 3]);
    expect(Array.from(echo.data)).toEqual(Array.from(x.data));
    const res = JSON.parse(readFileSync(join(o, 'result.json'), 'utf8'));
    // logits: y_k = Σ x[…, k] for k < 3, y_3 = −3
    const y = [0, 1, 2].map((k) => x.data.reduce((s, v, i) => (i % 3 === k ? s + v : s), 0)).concat(-3);
    const p = softmax(y);
    const order = [0, 1, 2, 3].sort((a, b) => y[b]! - y[a]!);
    expect(res.top5.map((t: { index: number }) => t.index)).toEqual(order);
    for (const t of res.top5) {
      expect(t.name).toBe(['red', 'green', 'blue', 'none'][t.index]);
      expect(t.logit).toBeCloseTo(y[t.index]!, 4);
      expect(t.probability).toBeCloseTo(p[t.index]!, 6);
    }
    expect(res.target).toMatchObject({ requested: 'green', classIndex: 1, className: 'green' });
    expect(res.target.score).toBeCloseTo(y[1]!, 4);
    expect(res.backend).toBe('fake');
    expect(res.model).toMatchObject({ file: 'net.json', name: 'fake-net', numClasses: 4 });
    expect(res.layer).toEqual({ requested: 'auto', resolved: ['conv2'] });
    expect(res.input).toMatchObject({ file: 'x.npy', format: 'npy', tensorShape: [1, S, S, 3], layout: 'NHWC' });
    expect(res.methods.map((m: { id: string }) => m.id)).toEqual(['ramp', 'echo']);
    expect(res.methods[0]).toMatchObject({
      space: 'layer',
      layers: ['conv2'],
      options: { gain: 0.5, mode: 'a' },
      files: { map: 'ramp.npy', raw: 'ramp.raw.npy', png: 'ramp.png' },
    });
    expect(res.methods[1]).toMatchObject({
      space: 'input',
      layers: [],
      options: { flip: false },
      files: { attribution: 'echo.npy', png: 'echo.png' },
    });
    for (const m of res.methods) expect(m.ms).toBeGreaterThanOrEqual(0);
    expect(res.versions.node).toBe(process.versions.node);
    const html = readFileSync(join(o, 'index.html'), 'utf8');
    for (const f of ['input.png', 'ramp.png', 'echo.png']) expect(html).toContain(`src="${f}"`);
    expect(live.models).toBe(0);
  });

  it('normalises images with the sidecar (or --mean/--std) and gives each of several inputs its own folder', async () => {
    const r = await run([
      'explain',
      'red.png',
      'b/red.png',
      'x.npy',
      'nobatch.npy',
      '--model',
      'net.json',
      '--backend',
      'fake',
      '--method',
      'echo',
      '--out',
      'multi',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const o = join(dir, 'multi');
    expect(readdirSync(o).sort()).toEqual(
      [OUTPUT_MARKER, 'grid.png', 'index.html', 'nobatch', 'red', 'red-2', 'x'].sort(),
    );
    // red.png, sidecar normalisation (p − 0.5) / 0.25: R = 2, G = B = −2 everywhere
    const red = npy(join(o, 'red', 'echo.npy'));
    expect(red.shape).toEqual([1, S, S, 3]);
    for (let i = 0; i < red.data.length; i++) expect(red.data[i]).toBeCloseTo(i % 3 === 0 ? 2 : -2, 6);
    const blue = JSON.parse(readFileSync(join(o, 'red-2', 'result.json'), 'utf8'));
    expect(blue.input).toMatchObject({
      file: 'b/red.png',
      format: 'png',
      sourceSize: [16, 16],
      normalization: { mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] },
    });
    expect(blue.top5[0].name).toBe('blue');
    const x = npy(join(dir, 'x.npy'));
    expect(Array.from(npy(join(o, 'nobatch', 'echo.npy')).data)).toEqual(Array.from(x.data));
    const html = readFileSync(join(o, 'index.html'), 'utf8');
    for (const d of ['red', 'red-2', 'x', 'nobatch']) expect(html).toContain(`src="${d}/echo.png"`);
    // --mean/--std override the sidecar: (1 − 0) / 0.5 = 2 for R, (0 − 0)/0.5 = 0 for G, B
    expect(
      (
        await run([
          'explain',
          'red.png',
          '--model',
          'net.json',
          '--backend',
          'fake',
          '--method',
          'echo',
          '--out',
          'multi',
          '--mean',
          '0,0,0',
          '--std',
          '0.5,0.5,0.5',
        ])
      ).code,
    ).toBe(0);
    const red2 = npy(join(o, 'echo.npy'));
    for (let i = 0; i < red2.data.length; i++) expect(red2.data[i]).toBeCloseTo(i % 3 === 0 ? 2 : 0, 6);
    expect(existsSync(join(o, 'red'))).toBe(false); // the earlier output was replaced as a whole
  });

  it('methods lists requirements, backends and generated option flags', async () => {
    const r = await run(['methods', '--json']);
    expect(r.code).toBe(0);
    const ms = JSON.parse(r.stdout);
    expect(ms.map((m: { id: string }) => m.id)).toEqual(['ramp', 'echo', 'trainer', 'boom']);
    expect(ms[0]).toMatchObject({
      requires: ['activations'],
      backends: ['fake'],
      options: [
        { flag: '--ramp.gain', type: 'number', default: 1 },
        { flag: '--ramp.mode', type: 'enum' },
      ],
    });
    expect(ms[2]).toMatchObject({ requires: ['training'], backends: [] });
    const text = await run(['methods']);
    expect(text.stdout).toMatch(/trainer — Trainer[^\n]*\n[^\n]*\n\s+needs:\s+training\n\s+backends: none registered/);
    const help = await run(['explain', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--ramp\.gain <number in \[0, 1\]>\s+gain \(default: 1\)/);
    expect(help.stdout).toMatch(/--echo\.flip\s+negate \(default: false\)/);
  });

  it('layers marks the auto layer', async () => {
    const r = await run(['layers', '--model', 'net.json', '--backend', 'fake']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('*'))).toEqual([
      expect.stringMatching(/^\* conv2\s+Conv2D\s+\[-1, 4, 4, 4\]$/),
    ]);
    expect(lines.some((l) => /^\s+conv1\s+Conv2D/.test(l))).toBe(true);
    expect(lines.some((l) => / gap /.test(l))).toBe(false);
    const j = JSON.parse((await run(['layers', '--model', 'net.json', '--backend', 'fake', '--json', '--all'])).stdout);
    expect(j.auto).toBe('conv2');
    expect(j.layers.map((l: { name: string; candidate: boolean }) => `${l.name}:${l.candidate}`)).toEqual([
      'input:false',
      'conv1:true',
      'conv2:true',
      'gap:false',
      'fc:false',
    ]);
    expect(live.models).toBe(0);
  });

  it('draws progress on stderr only when it is a terminal, and clears it', async () => {
    const m = memoryIo(dir);
    const tty = { ...m.io, stderr: { ...m.io.stderr, isTTY: true } };
    expect(await main(explainArgs('--method', 'ramp,echo'), tty, fakeWiring)).toBe(0);
    // one input: a forward step then one per method, each redrawn in place
    expect(m.stderr()).toBe(
      ['x.npy: forward', 'x.npy: ramp', 'x.npy: echo'].map((s, i) => `\r\x1b[2K[${i + 1}/3] ${s}`).join('') +
        '\r\x1b[2K',
    );
    const plain = await run(explainArgs('--method', 'ramp,echo'));
    expect(plain.stderr).toBe('');
  });

  it('prints help with exit 0, and usage on stderr with exit 2 when no command is given', async () => {
    for (const c of ['explain', 'layers', 'methods', 'demo']) {
      const r = await run([c, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage:\n {2}gradscope /);
    }
    expect((await run(['explain', '--help'])).stdout).toContain('--model is required');
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^Usage: gradscope <command>/);
  });
});
