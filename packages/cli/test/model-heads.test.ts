import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { encodeNpy } from '@gradscope/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWiring, main, type Wiring } from '../src/index.js';
import { topClasses } from '../src/top-classes.js';
import { memoryIo } from './fake-wiring.js';
import { saveTinyModel } from './tiny-tfjs-model.js';

let dir: string;
let wiring: Wiring;

/** The saved model loaded by tfjs itself (its own predict, probabilities included). */
async function ownModel(file: string): Promise<tf.LayersModel> {
  const j = JSON.parse(readFileSync(file, 'utf8'));
  const w = readFileSync(join(dir, 'weights.bin'));
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: j.modelTopology,
      weightSpecs: j.weightsManifest[0].weights,
      weightData: w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength),
    }),
  );
}

beforeAll(async () => {
  wiring = await defaultWiring();
  dir = mkdtempSync(join(tmpdir(), 'gradscope-cli-heads-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('probabilities follow the model head', () => {
  it('a single output is a sigmoid score, never softmax over one value (= 1)', () => {
    const [c] = topClasses([-0.8], 5);
    expect(c!.probability).toBeCloseTo(1 / (1 + Math.exp(0.8)), 6);
    const two = topClasses([2, -1], 5, [], 'sigmoid');
    expect(two.map((s) => s.probability)).toEqual([1 / (1 + Math.exp(-2)), 1 / (1 + Math.exp(1))].map(Math.fround));
  });

  it.each([
    [1, 'sigmoid'],
    [3, 'sigmoid'],
    [3, 'softmax'],
  ] as const)('%i %s output(s): result.json probabilities equal the model’s own predict', async (units, activation) => {
    const file = await saveTinyModel(dir, null, { units, activation });
    const xs = Float32Array.from({ length: 8 * 8 * 3 }, (_, i) => Math.sin(i * 0.7) * 2);
    writeFileSync(join(dir, 'x.npy'), encodeNpy({ data: xs, shape: [1, 8, 8, 3] }));
    const io = memoryIo(dir);
    const out = `out-${units}-${activation}`;
    const code = await main(
      ['explain', 'x.npy', '--model', 'model.json', '--method', 'gradcam', '--out', out],
      io.io,
      wiring,
    );
    expect(io.stderr()).toBe('');
    expect(code).toBe(0);
    const res = JSON.parse(readFileSync(join(dir, out, 'result.json'), 'utf8'));
    const own = await ownModel(file);
    const p = tf.tidy(() => (own.predict(tf.tensor4d(xs, [1, 8, 8, 3])) as tf.Tensor).dataSync());
    own.dispose();
    expect(res.top5).toHaveLength(units);
    for (const c of res.top5) expect(c.probability).toBeCloseTo(p[c.index]!, 5);
  });
});
