import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tfjsNodeBackend } from '@gradscope/backend-tfjs/node';
import { decodeNpy, encodeNpy, type Tensor } from '@gradscope/core';
import pngjs from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWiring, main, type Wiring } from '../src/index.js';
import { memoryIo } from './fake-wiring.js';
import { saveTinyModel } from './tiny-tfjs-model.js';

// What users bring: models without a sidecar, 0–255 BGR models, models with a dynamic input size.
let dir: string;
let wiring: Wiring;
const W = 8;
const PIX = Uint8Array.from({ length: W * W * 4 }, (_, i) => (i % 4 === 3 ? 255 : (i * 53 + 17) % 256));

async function run(args: string[]) {
  const m = memoryIo(dir);
  const code = await main(args, m.io, wiring);
  return { code, stdout: m.stdout(), stderr: m.stderr() };
}

/** Logits of the saved model for a hand-made NHWC tensor (the backend's forward; no CLI involved). */
async function logitsOf(file: string, x: Tensor): Promise<number[]> {
  const m = await tfjsNodeBackend.load(file);
  try {
    return Array.from((await m.forward(x)).data);
  } finally {
    await m.dispose();
  }
}

beforeAll(async () => {
  wiring = await defaultWiring();
  dir = mkdtempSync(join(tmpdir(), 'gradscope-cli-user-'));
  await saveTinyModel(dir, null);
  await saveTinyModel(dir, null, undefined, [null, null, 3], 'dyn');
  const p = new pngjs.PNG({ width: W, height: W });
  p.data.set(PIX);
  writeFileSync(join(dir, 'in.png'), pngjs.PNG.sync.write(p));
  writeFileSync(join(dir, 'x.npy'), encodeNpy({ data: new Float32Array(W * W * 3).fill(0.5), shape: [1, W, W, 3] }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('unknown normalisation (#11)', () => {
  it('an image input on a model without normalisation: one stderr warning line naming the model and the fix', async () => {
    const r = await run(['explain', 'in.png', '--model', 'model.json', '--out', 'o1']);
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /warning: model\.json: input normalisation unknown.*--mean\/--std.*model\.gradscope\.json/,
    );
  });
  it('no warning for .npy inputs (already normalised) or with --mean/--std', async () => {
    expect((await run(['explain', 'x.npy', '--model', 'model.json', '--out', 'o2'])).stderr).toBe('');
    const r = await run([
      'explain',
      'in.png',
      '--model',
      'model.json',
      '--mean',
      '0.5',
      '--std',
      '0.25',
      '--out',
      'o3',
    ]);
    expect(r.stderr).toBe('');
  });
});

describe('--scale 255 and --bgr (#5), or the sidecar keys pixelRange and channelOrder', () => {
  // the network input computed by hand: channel 0 = blue, 1 = green, 2 = red, in 0–255, minus the mean
  const mean = [100, 110, 120];
  const xHand: Tensor = {
    data: Float32Array.from(
      { length: W * W * 3 },
      (_, j) => PIX[Math.floor(j / 3) * 4 + (2 - (j % 3))]! - mean[j % 3]!,
    ),
    shape: [1, W, W, 3],
  };
  it.each([
    ['flags', ['--scale', '255', '--bgr', '--mean', mean.join(',')], null],
    ['sidecar', [], { pixelRange: 255, channelOrder: 'bgr', normalization: { mean, std: [1, 1, 1] } }],
  ] as const)(
    '%s: logits equal the model on the hand-made 0–255 BGR tensor; input.png is the photo',
    async (name, flags, side) => {
      const file = await saveTinyModel(dir, side, undefined, [8, 8, 3], `m-${name}`);
      const r = await run(['explain', 'in.png', '--model', `m-${name}.json`, ...flags, '--out', `o-${name}`]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const res = JSON.parse(readFileSync(join(dir, `o-${name}`, 'result.json'), 'utf8'));
      const want = await logitsOf(file, xHand);
      for (const c of res.top5) expect(c.logit).toBeCloseTo(want[c.index]!, 3);
      const back = pngjs.PNG.sync.read(readFileSync(join(dir, `o-${name}`, 'input.png')));
      expect(Buffer.from(back.data).equals(Buffer.from(PIX))).toBe(true);
    },
  );
  it('rejects a bad --scale with one line', async () => {
    const r = await run(['explain', 'in.png', '--model', 'model.json', '--scale', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--scale expects a positive number/);
  });
});

describe('non-square and dynamic input sizes (#7)', () => {
  it('a dynamic model without a size: the error names --size and the sidecar key inputSize', async () => {
    const r = await run(['explain', 'in.png', '--model', 'dyn.json', '--mean', '0', '--out', 'o5']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--size HxW/);
    expect(r.stderr).toMatch(/"inputSize"/);
  });
  it('--size 6x10 explains at 6×10 (the maps are 6×10); the layers command takes it too', async () => {
    const r = await run(['explain', 'in.png', '--model', 'dyn.json', '--size', '6x10', '--mean', '0', '--out', 'o6']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(decodeNpy(new Uint8Array(readFileSync(join(dir, 'o6', 'gradcam.npy')))).shape).toEqual([6, 10]);
    const res = JSON.parse(readFileSync(join(dir, 'o6', 'result.json'), 'utf8'));
    expect(res.input.tensorShape).toEqual([1, 6, 10, 3]);
    const l = await run(['layers', '--model', 'dyn.json', '--size', '6×10', '--json']);
    expect(l.code).toBe(0);
    expect(JSON.parse(l.stdout).layers.find((x: { name: string }) => x.name === 'conv1').outputShape).toEqual([
      -1, 6, 10, 4,
    ]);
  });
  it('a size that does not match a fixed-size model, or a malformed one, is refused', async () => {
    expect((await run(['explain', 'in.png', '--model', 'model.json', '--size', '8x9'])).stderr).toMatch(
      /8x9 does not match.*8×8/,
    );
    expect((await run(['explain', 'in.png', '--model', 'model.json', '--size', '8x'])).stderr).toMatch(
      /--size expects/,
    );
  });
});

describe('--output <name> for models with several outputs (#3)', () => {
  it('no choice: one line listing the outputs; --output picks the head', async () => {
    const tf = await import('@tensorflow/tfjs');
    const { saveLayersModel } = await import('./tiny-tfjs-model.js');
    const inp = tf.input({ shape: [8, 8, 3] });
    const g = tf.layers
      .globalAveragePooling2d({ name: 'gap' })
      .apply(tf.layers.conv2d({ filters: 4, kernelSize: 3, name: 'conv' }).apply(inp)) as tf.SymbolicTensor;
    const outs = [
      tf.layers.dense({ units: 2, activation: 'softmax', name: 'gender' }),
      tf.layers.dense({ units: 5, name: 'age' }),
    ];
    const m = tf.model({ inputs: inp, outputs: outs.map((d) => d.apply(g) as tf.SymbolicTensor) });
    await saveLayersModel(dir, 'two', m);
    m.dispose();
    const none = await run(['layers', '--model', 'two.json']);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/2 outputs \('gender', 'age'\).*--output <name>/);
    const r = await run(['explain', 'x.npy', '--model', 'two.json', '--output', 'age', '--out', 'o7']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'o7', 'result.json'), 'utf8')).model.numClasses).toBe(5);
  });
});
