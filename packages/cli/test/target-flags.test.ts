import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureDir, fixturePath, type FixtureManifest } from '@gradscope/conformance';
import { decodeNpy, encodeNpy, type Tensor } from '@gradscope/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWiring, main, type Wiring } from '../src/index.js';
import { memoryIo } from './fake-wiring.js';

// --target-kind / --target-vector end to end on the tiny-cnn fixture (ONNX), against PyTorch's
// Grad-CAM goldens for the softmax and free-seed targets (packages/conformance/scripts/make-fixtures.py).
const FIX = fixtureDir('tiny-cnn');
const manifest = JSON.parse(readFileSync(join(FIX, 'manifest.json'), 'utf8')) as FixtureManifest;
const npy = (file: string): Tensor => decodeNpy(new Uint8Array(readFileSync(file)));
let dir: string;
let wiring: Wiring;

beforeAll(async () => {
  wiring = await defaultWiring();
  dir = mkdtempSync(join(tmpdir(), 'gradscope-cli-targets-'));
  writeFileSync(join(dir, 'x0.npy'), encodeNpy(npy(join(FIX, 'inputs', 'x0.npy'))));
  const seed = Float32Array.from([0.5, -1, 0.25, 2, -0.75]); // the fixture's 'seed' target
  writeFileSync(join(dir, 'seed.npy'), encodeNpy({ data: seed, shape: [5] }));
  // the same seed as a [1, 5] region mask: class 0 of the 5 logits read as one [1, 1, 5] plane
  writeFileSync(join(dir, 'mask-1x5.npy'), encodeNpy({ data: seed, shape: [1, 5] }));
  writeFileSync(join(dir, 'mask-2x2.npy'), encodeNpy({ data: new Float32Array(4).fill(1), shape: [2, 2] }));
  writeFileSync(join(dir, 'mask-3d.npy'), encodeNpy({ data: seed, shape: [1, 1, 5] }));
});
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const m = memoryIo(dir);
  const code = await main(args, m.io, wiring);
  return { code, stderr: m.stderr() };
}

const base = [
  'explain',
  'x0.npy',
  '--model',
  fixturePath('tiny-cnn', 'onnx'),
  '--method',
  'gradcam',
  '--layer',
  'relu3',
];

describe('gradscope explain --target-kind', () => {
  it.each([
    ['softmax', [], 'softmax'],
    ['seed', ['--target-vector', 'seed.npy'], 'seed'],
    ['class', ['--target-mask', 'mask-1x5.npy', '--target', '0'], 'seed'],
  ])('%s matches the torch golden of that target', async (kind, extra, golden) => {
    const out = `out-${kind}-${extra.length}`;
    const r = await run([...base, '--target-kind', kind, ...extra, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const map = npy(join(dir, out, 'gradcam.npy'));
    const want = npy(join(FIX, 'golden', 'x0', golden, 'gradcam-relu3.npy'));
    let maxAbs = 0;
    for (let i = 0; i < map.data.length; i++) maxAbs = Math.max(maxAbs, Math.abs(map.data[i]! - want.data[i]!));
    expect(maxAbs).toBeLessThan(manifest.tolerances.camMap.maxAbs!);
    const res = JSON.parse(readFileSync(join(dir, out, 'result.json'), 'utf8'));
    expect(res.methods[0].target.score).toBeDefined();
  });

  it.each([
    [['--target-kind', 'nope'], /--target-kind expects one of class, softmax, rest, binary, similarity, seed/],
    [['--target-kind', 'similarity'], /--target-kind similarity needs --target-vector/],
    [['--target-vector', 'seed.npy'], /--target-vector is only used with --target-kind similarity or seed/],
    [['--target-kind', 'seed', '--target-vector', 'missing.npy'], /cannot read --target-vector 'missing.npy'/],
    [['--target-kind', 'binary'], /a binary target needs a model with one output/],
    [['--target-kind', 'binary', '--target', '3'], /--target-kind binary takes --target 1/],
    [
      ['--target-mask', 'mask-2x2.npy', '--target', '0'],
      /region mask is \[2, 2\] but the model output has 5 values per image, not \[K, 2, 2\]/,
    ],
    [['--target-mask', 'mask-3d.npy', '--target', '0'], /must be a 2-D \[H, W\] mask .* got shape \[1, 1, 5\]/],
    [['--target-mask', 'mask-1x5.npy'], /--target-mask needs --target <class>/],
    [['--target-mask', 'mask-1x5.npy', '--target', '1'], /target class 1 is out of range: the model has 1 classes/],
    [['--target-mask', 'mask-1x5.npy', '--target', '0', '--target-kind', 'softmax'], /cannot be combined/],
  ])('refuses %j with one line', async (extra, message) => {
    const r = await run([...base, ...extra, '--out', 'bad']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

// A segmentation model's class planes (tiny-seg, [N, 4, 8, 8]; make-segmentation-fixture.py): a
// region of class 2 over mask.npy against torch's Grad-CAM of pytorch-grad-cam's SemanticSegmentationTarget.
describe('gradscope explain --target-mask on a segmentation model', () => {
  const SEG = fixtureDir('tiny-seg');
  beforeAll(() => {
    const x = npy(join(SEG, 'inputs', 'x0.npy'));
    writeFileSync(join(dir, 'seg-x0.npy'), encodeNpy(x));
    const [, c, h, w] = x.shape as number[];
    const nhwc = new Float32Array(x.data.length);
    for (let k = 0; k < c!; k++) for (let p = 0; p < h! * w!; p++) nhwc[p * c! + k] = x.data[k * h! * w! + p]!;
    writeFileSync(join(dir, 'seg-x0-nhwc.npy'), encodeNpy({ data: nhwc, shape: [1, h!, w!, c!] }));
    writeFileSync(join(dir, 'seg-mask.npy'), encodeNpy(npy(join(SEG, 'mask.npy'))));
  });
  const seg = (format: 'onnx' | 'tfjs') => [
    'explain',
    format === 'onnx' ? 'seg-x0.npy' : 'seg-x0-nhwc.npy',
    '--model',
    fixturePath('tiny-seg', format),
    '--method',
    'gradcam',
    '--layer',
    'relu2',
  ];

  it.each(['onnx', 'tfjs'] as const)('explains class 2 over the mask on %s as torch does', async (format) => {
    const out = `out-seg-${format}`;
    const r = await run([...seg(format), '--target', '2', '--target-mask', 'seg-mask.npy', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const map = npy(join(dir, out, 'gradcam.npy'));
    const want = npy(join(SEG, 'golden', 'gradcam.npy'));
    let maxAbs = 0;
    for (let i = 0; i < map.data.length; i++) maxAbs = Math.max(maxAbs, Math.abs(map.data[i]! - want.data[i]!));
    expect(maxAbs).toBeLessThan(1e-4);
    const res = JSON.parse(readFileSync(join(dir, out, 'result.json'), 'utf8'));
    expect(res.target.classIndex).toBe(2);
    expect(res.top5).toEqual([]);
  });

  it('refuses a class target on class planes with one line that names the shape and --target-mask', async () => {
    const r = await run([...seg('onnx'), '--target', '1', '--out', 'bad-seg']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/needs one logit per class, but this model outputs class planes \[N, 4, 8, 8\]/);
    expect(r.stderr).toMatch(/--target-mask/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
