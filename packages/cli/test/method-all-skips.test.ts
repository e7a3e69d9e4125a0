import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { encodeNpy, missingCapabilities } from '@gradscope/core';
import { builtinMethods } from '@gradscope/methods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWiring, main, type Wiring } from '../src/index.js';
import { memoryIo } from './fake-wiring.js';
import { saveLayersModel } from './tiny-tfjs-model.js';

let dir: string;
let wiring: Wiring;

beforeAll(async () => {
  wiring = await defaultWiring();
  dir = mkdtempSync(join(tmpdir(), 'gradscope-cli-skips-'));
  // conv → flatten → dense: no global-average-pooling head, so classic CAM cannot run
  const init = (seed: number) => tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed });
  const m = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 3], filters: 3, kernelSize: 3, activation: 'relu', name: 'conv', kernelInitializer: init(1), biasInitializer: init(2) }),
      tf.layers.flatten({ name: 'flat' }),
      tf.layers.dense({ units: 2, name: 'fc', kernelInitializer: init(3) }),
    ],
  }); // prettier-ignore
  await saveLayersModel(dir, 'model', m);
  m.dispose();
  const xs = Float32Array.from({ length: 6 * 6 * 3 }, (_, i) => Math.sin(i));
  writeFileSync(join(dir, 'x.npy'), encodeNpy({ data: xs, shape: [1, 6, 6, 3] }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--method all says which methods it skipped and why (#10)', () => {
  it('one stderr line and result.json skippedMethods, both naming the missing capabilities', async () => {
    const io = memoryIo(dir);
    const code = await main(
      ['explain', 'x.npy', '--model', 'model.json', '--method', 'all', '--out', 'o'],
      io.io,
      wiring,
    );
    expect(code).toBe(0);
    const res = JSON.parse(readFileSync(join(dir, 'o', 'result.json'), 'utf8'));
    const ran = new Set(res.methods.map((m: { id: string }) => m.id));
    // independently: every built-in method either ran or is listed with what it needs
    const have = new Set(['activations', 'layer-gradients', 'input-gradients', 'relu-guided', 'relu-deconvnet', 'relu-only-rectifiers', 'run-from-layer', 'batched-forward', 'training', 'hessian-vector', 'bias-gradients'] as const); // prettier-ignore
    const expected = builtinMethods
      .map((m) => ({ id: m.id, missing: missingCapabilities(m, have) }))
      .filter((s) => s.missing.length);
    expect(expected.map((s) => s.id)).toContain('cam');
    expect(res.skippedMethods).toEqual(expected);
    for (const m of builtinMethods) expect(ran.has(m.id)).toBe(!expected.some((s) => s.id === m.id));
    // one line for the skipped methods (the others are the long methods' run counts)
    const lines = io
      .stderr()
      .trim()
      .split('\n')
      .filter((l) => !/^\[\d+\/\d+\] /.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/--method all skipped .*cam \(needs linear-head\)/);
  });
});
