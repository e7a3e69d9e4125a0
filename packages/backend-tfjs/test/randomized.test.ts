import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { isGradscopeError, LOGITS_LAYER, type Model, type Tensor } from '@gradscope/core';
import { TfjsLayersModel, useTfjsBackend } from '../src/index.js';
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

describe('TfjsLayersModel.randomized (conv → batch norm → pool → dense)', () => {
  it("re-draws kernels (He truncated normal, Keras's fan-in), zeroes biases and β, sets γ to 1, keeps running statistics", async () => {
    const inp = tf.input({ shape: [8, 8, 3] });
    let x = tf.layers.conv2d({ filters: 32, kernelSize: 3, name: 'conv' }).apply(inp) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ name: 'bn' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 4, name: 'fc', biasInitializer: 'ones' }).apply(x) as tf.SymbolicTensor;
    const lm = tf.model({ inputs: inp, outputs: out });
    const bn = lm.getLayer('bn');
    bn.setWeights(bn.getWeights().map((w, i) => tf.fill(w.shape, i + 2))); // γ 2, β 3, mean 4, variance 5
    const model = await TfjsLayersModel.create(lm);
    const before = tf.memory().numTensors;
    const copy = await model.randomized(['conv', 'bn'], { seed: 9 });
    const weights = (m: TfjsLayersModel, layer: string) =>
      (m as unknown as { tfModel: tf.LayersModel }).tfModel
        .getLayer(layer)
        .getWeights()
        .map((w) => w.dataSync());
    const [kernel, bias] = weights(copy, 'conv') as [Float32Array, Float32Array];
    const sigma = Math.sqrt(2 / (3 * 3 * 3));
    const sd = Math.sqrt(kernel.reduce((s, v) => s + v * v, 0) / kernel.length);
    expect(sd / sigma).toBeGreaterThan(0.8); // 0.88 expected for 864 draws
    expect(sd / sigma).toBeLessThan(0.96);
    expect(Math.max(...kernel.map(Math.abs))).toBeLessThanOrEqual(2 * sigma + 1e-6);
    expect([...bias].every((v) => v === 0)).toBe(true);
    expect(weights(copy, 'bn').map((w) => [...new Set(w)])).toEqual([[1], [0], [4], [5]]);
    expect(weights(model, 'bn').map((w) => [...new Set(w)])).toEqual([[2], [3], [4], [5]]);
    expect(weights(copy, 'fc')).toEqual(weights(model, 'fc'));
    copy.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
