import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { isGradscopeError, LOGITS_LAYER, type Model, type Tensor } from '@gradscope/core';
import { useTfjsBackend } from '../src/index.js';
import { tfjsNodeBackend } from '../src/node.js';
import { randomTensor } from './helpers.js';
import { writeTinyGraphModel } from './model-files.js';

beforeAll(() => useTfjsBackend('wasm'));

const maxDiff = (a: Tensor, b: Tensor) => a.data.reduce((m, v, i) => Math.max(m, Math.abs(v - b.data[i]!)), 0);

async function convActivation(m: Model, x: Tensor): Promise<Tensor> {
  const hook = await m.capture(x, {
    layers: ['conv'],
    gradients: false,
    inputGradient: false,
    targets: [{ kind: 'class' }],
  });
  const a = hook.activations.get('conv')!;
  const out = { data: Float32Array.from(a.data), shape: a.shape };
  hook.dispose();
  return out;
}

describe('TfjsGraphModel.randomized (fused conv → pool → mean → MatMul + BiasAdd)', () => {
  it("replaces the weight constants feeding a layer's nodes in a disposable copy", async () => {
    const graph = await tfjsNodeBackend.load(
      writeTinyGraphModel({
        w1: randomTensor([3, 3, 2, 4], 31).data,
        b1: Float32Array.from([3, 2.5, 3.5, 3]),
        w2: randomTensor([4, 3], 32).data,
        b2: Float32Array.from([0.1, -0.2, 0.3]),
      }),
    );
    const x = randomTensor([1, 6, 6, 2], 5);
    const y0 = await graph.forward(x);
    const a0 = await convActivation(graph, x);
    const before = tf.memory().numTensors;
    const head = await graph.randomized!([LOGITS_LAYER], { seed: 4 });
    const conv = await graph.randomized!(['conv'], { seed: 4 });
    const again = await graph.randomized!(['conv'], { seed: 4 });
    expect(head.layers).toEqual(graph.layers);
    expect(maxDiff(await head.forward(x), y0)).toBeGreaterThan(1e-2);
    expect(maxDiff(await convActivation(head, x), a0)).toBe(0);
    const ac = await convActivation(conv, x);
    expect(maxDiff(ac, a0)).toBeGreaterThan(1e-2);
    expect([...(await convActivation(again, x)).data]).toEqual([...ac.data]);
    const e = await graph.randomized!(['pool'], { seed: 4 }).catch((err: unknown) => err);
    expect(isGradscopeError(e, 'bad-input'), String(e)).toBe(true);
    for (const m of [head, conv, again]) {
      await m.dispose();
      await m.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect([...(await graph.forward(x)).data]).toEqual([...y0.data]);
    await graph.dispose();
  });
});
