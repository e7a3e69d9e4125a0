import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@gradscope/core';
import { convertLayersModel, type ConversionResult } from '../src/index.js';
import {
  init,
  maxAbsDiff,
  nhwcToNchw,
  onnxOutputs,
  randomTensor,
  randomizeWeights,
  resetInit,
  saveArtifacts,
  tfjsOutputs,
} from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type ST = tf.SymbolicTensor;

/** Row-wise softmax or element-wise sigmoid of a [N, K] tensor (in float64). */
function activate(t: Tensor, fn: string): Tensor {
  const [n, k] = t.shape as [number, number];
  const out = new Float32Array(t.data.length);
  for (let i = 0; i < n; i++) {
    const row = t.data.subarray(i * k, (i + 1) * k);
    const m = Math.max(...row);
    const e = [...row].map((v) => (fn === 'softmax' ? Math.exp(v - m) : 1 / (1 + Math.exp(-v))));
    const z = fn === 'softmax' ? e.reduce((a, b) => a + b, 0) : 1;
    e.forEach((v, j) => (out[i * k + j] = v / z));
  }
  return { data: out, shape: t.shape };
}
const TOL = 1e-4;

/**
 * Converts `model`, runs both on the same seeded input (NHWC for tfjs, transposed to NCHW for ONNX)
 * and checks every converted layer's output (channels-first) and the final output to ≤ 1e-4.
 */
async function expectSameFunction(
  model: tf.LayersModel,
  opts: { keepFinalActivation?: boolean; batch?: number; seed?: number } = {},
): Promise<ConversionResult> {
  const r = convertLayersModel(await saveArtifacts(model), { keepFinalActivation: opts.keepFinalActivation ?? false });
  const shape = [opts.batch ?? 2, ...(model.inputs[0]!.shape.slice(1) as number[])];
  const x = randomTensor(shape, opts.seed ?? 5);
  const names = r.layers;
  const want = tfjsOutputs(model, x, names);
  const got = await onnxOutputs(r.bytes, nhwcToNchw(x), names);
  for (const n of names) {
    let a = got.get(n)!;
    const b = want.get(n)!;
    // a Dense whose final softmax/sigmoid was dropped: compare through that activation
    if (n === r.output.name && r.droppedActivation && model.getLayer(n).getConfig().activation === r.droppedActivation)
      a = activate(a, r.droppedActivation);
    expect(a.shape, `shape of '${n}'`).toEqual(b.shape);
    expect(maxAbsDiff(a.data, b.data), `layer '${n}'`).toBeLessThanOrEqual(TOL);
  }
  return r;
}

describe('convertLayersModel: same function as tfjs, layer by layer', () => {
  it('strided same/valid convs (fused relu, dilation, no bias), BN, ReLU, pools with same padding, depthwise, zero padding, GAP, dense', async () => {
    resetInit(1);
    const inp = tf.input({ shape: [9, 9, 3], name: 'image' });
    let x = tf.layers
      .conv2d({
        filters: 4,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(),
        biasInitializer: init(),
        name: 'conv1',
      })
      .apply(inp) as ST;
    x = tf.layers
      .conv2d({
        filters: 5,
        kernelSize: 3,
        padding: 'same',
        dilationRate: 2,
        useBias: false,
        kernelInitializer: init(),
        name: 'conv2',
      })
      .apply(x) as ST;
    x = tf.layers.batchNormalization({ name: 'bn2' }).apply(x) as ST;
    x = tf.layers.reLU({ name: 'relu2' }).apply(x) as ST;
    x = tf.layers.maxPooling2d({ poolSize: 2, strides: 2, padding: 'same', name: 'pool2' }).apply(x) as ST;
    x = tf.layers.averagePooling2d({ poolSize: 3, strides: 1, padding: 'same', name: 'avg2' }).apply(x) as ST;
    x = tf.layers
      .depthwiseConv2d({
        kernelSize: 3,
        depthMultiplier: 2,
        strides: 2,
        padding: 'same',
        activation: 'relu',
        name: 'dw3',
      })
      .apply(x) as ST;
    x = tf.layers
      .zeroPadding2d({
        padding: [
          [1, 2],
          [0, 1],
        ],
        name: 'pad4',
      })
      .apply(x) as ST;
    x = tf.layers
      .conv2d({ filters: 6, kernelSize: 2, padding: 'valid', kernelInitializer: init(), name: 'conv4' })
      .apply(x) as ST;
    x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as ST;
    const out = tf.layers.dense({ units: 3, activation: 'softmax', name: 'fc' }).apply(x) as ST;
    const m = tf.model({ inputs: inp, outputs: out });
    randomizeWeights(m, 17);
    const r = await expectSameFunction(m);
    expect(r.layers).toEqual(['conv1', 'conv2', 'bn2', 'relu2', 'pool2', 'avg2', 'dw3', 'pad4', 'conv4', 'gap', 'fc']);
    expect(r.droppedActivation).toBe('softmax');
    expect(r.output.name).toBe('fc');
    expect(r.input).toEqual({ name: 'image', shape: [null, 3, 9, 9] });
    // the final softmax is gone: the ONNX output equals tfjs's pre-softmax logits
    const x0 = randomTensor([1, 9, 9, 3], 9);
    const probe = tf.model({ inputs: m.inputs, outputs: m.getLayer('gap').output as ST });
    const logits = tf.tidy(() => {
      const f = probe.predict(tf.tensor(x0.data, [1, 9, 9, 3])) as tf.Tensor;
      const fc = m.getLayer('fc');
      const [k, b] = fc.getWeights();
      return tf.add(tf.matMul(f, k!), b!).dataSync() as Float32Array;
    });
    const onnx = await onnxOutputs(r.bytes, nhwcToNchw(x0), ['fc']);
    expect(maxAbsDiff(onnx.get('fc')!.data, logits)).toBeLessThanOrEqual(TOL);
  });

  it('branches: Add (2 and 3 inputs), Concatenate, relu6/sigmoid/tanh/hard_sigmoid activations, Flatten in NHWC order, Dropout, a final Activation(softmax)', async () => {
    resetInit(30);
    const inp = tf.input({ shape: [6, 7, 3], name: 'x' });
    const a = tf.layers
      .conv2d({
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        kernelInitializer: init(),
        biasInitializer: init(),
        name: 'a',
      })
      .apply(inp) as ST;
    const b = tf.layers
      .conv2d({ filters: 4, kernelSize: 1, kernelInitializer: init(), biasInitializer: init(), name: 'b' })
      .apply(inp) as ST;
    const c = tf.layers
      .conv2d({
        filters: 4,
        kernelSize: 2,
        padding: 'same',
        kernelInitializer: init(),
        biasInitializer: init(),
        name: 'c',
      })
      .apply(inp) as ST;
    const s2 = tf.layers.add({ name: 'add2' }).apply([a, b]) as ST;
    const s3 = tf.layers.add({ name: 'add3' }).apply([a, b, c]) as ST;
    let x = tf.layers.concatenate({ name: 'cat' }).apply([s2, s3, c]) as ST;
    x = tf.layers.activation({ activation: 'relu6', name: 'r6' }).apply(x) as ST;
    const y = tf.layers.activation({ activation: 'sigmoid', name: 'sig' }).apply(s2) as ST;
    const z = tf.layers.activation({ activation: 'tanh', name: 'th' }).apply(s3) as ST;
    const h = tf.layers.activation({ activation: 'hardSigmoid', name: 'hs' }).apply(c) as ST;
    const w = tf.layers.concatenate({ axis: 2, name: 'catw' }).apply([y, z]) as ST;
    const fw = tf.layers.flatten({ name: 'flatw' }).apply(w) as ST;
    const fx = tf.layers.flatten({ name: 'flatx' }).apply(x) as ST;
    const fh = tf.layers.flatten({ name: 'flath' }).apply(h) as ST;
    let f = tf.layers.concatenate({ name: 'catf' }).apply([fx, fw, fh]) as ST;
    f = tf.layers.dropout({ rate: 0.5, name: 'drop' }).apply(f) as ST;
    f = tf.layers
      .dense({ units: 8, activation: 'relu', kernelInitializer: init(), biasInitializer: init(), name: 'fc1' })
      .apply(f) as ST;
    f = tf.layers.dense({ units: 4, kernelInitializer: init(), biasInitializer: init(), name: 'fc2' }).apply(f) as ST;
    const out = tf.layers.activation({ activation: 'softmax', name: 'probs' }).apply(f) as ST;
    const m = tf.model({ inputs: inp, outputs: out });
    const r = await expectSameFunction(m);
    expect(r.droppedActivation).toBe('softmax');
    expect(r.output.name).toBe('fc2');
    expect(r.layers).not.toContain('probs');
    expect(r.layers).toEqual(
      expect.arrayContaining(['add2', 'add3', 'cat', 'r6', 'sig', 'th', 'hs', 'catw', 'flatw', 'drop', 'fc1', 'fc2']),
    );
  });

  it('Sequential: valid conv, ReLU(maxValue), LeakyReLU, max and average pooling, GlobalMaxPooling2D, BN on features, sigmoid head kept on request', async () => {
    resetInit(50);
    const m = tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [10, 10, 2],
          filters: 3,
          kernelSize: [3, 2],
          strides: [1, 2],
          kernelInitializer: init(),
          biasInitializer: init(),
          name: 's_conv',
        }),
        tf.layers.reLU({ maxValue: 0.4, name: 's_clip' }),
        tf.layers.maxPooling2d({ poolSize: [2, 3], strides: [2, 1], name: 's_max' }),
        tf.layers.leakyReLU({ alpha: 0.2, name: 's_leaky' }),
        tf.layers.averagePooling2d({ poolSize: 2, strides: 1, name: 's_avg' }),
        tf.layers.globalMaxPooling2d({ name: 's_gmp' }),
        tf.layers.batchNormalization({ name: 's_bn', center: false }),
        tf.layers.dense({
          units: 2,
          activation: 'sigmoid',
          kernelInitializer: init(),
          biasInitializer: init(),
          name: 's_out',
        }),
      ],
    });
    randomizeWeights(m, 3);
    const kept = await expectSameFunction(m, { keepFinalActivation: true });
    expect(kept.droppedActivation).toBeNull();
    expect(kept.input.name).toBe('s_conv_input');
    const dropped = convertLayersModel(await saveArtifacts(m));
    expect(dropped.droppedActivation).toBe('sigmoid');
    expect(dropped.output.name).toBe('s_out');
    const x = randomTensor([1, 10, 10, 2], 4);
    const logits = (await onnxOutputs(dropped.bytes, nhwcToNchw(x), ['s_out'])).get('s_out')!.data;
    const probs = tfjsOutputs(m, x, ['s_out']).get('s_out')!.data;
    for (let i = 0; i < 2; i++) expect(Math.abs(1 / (1 + Math.exp(-logits[i]!)) - probs[i]!)).toBeLessThanOrEqual(1e-5);
  });

  describe("TensorFlow 'same' padding on every size/kernel/stride combination (asymmetric when the total is odd)", () => {
    for (const size of [6, 7]) {
      for (const [k, s] of [
        [1, 2],
        [2, 2],
        [3, 2],
        [4, 2],
        [3, 3],
        [5, 3],
      ] as const) {
        it(`size ${size}, kernel ${k}, stride ${s}: conv, depthwise, max and average pool`, async () => {
          resetInit(100 + size * 10 + k + s);
          const inp = tf.input({ shape: [size, size + 1, 2], name: 'in' });
          const conv = tf.layers
            .conv2d({
              filters: 2,
              kernelSize: k,
              strides: s,
              padding: 'same',
              kernelInitializer: init(),
              biasInitializer: init(),
              name: 'conv',
            })
            .apply(inp) as ST;
          const dw = tf.layers
            .depthwiseConv2d({
              kernelSize: k,
              strides: s,
              padding: 'same',
              depthwiseInitializer: init(),
              biasInitializer: init(),
              name: 'dw',
            })
            .apply(inp) as ST;
          const mp = tf.layers.maxPooling2d({ poolSize: k, strides: s, padding: 'same', name: 'mp' }).apply(inp) as ST;
          const ap = tf.layers
            .averagePooling2d({ poolSize: k, strides: s, padding: 'same', name: 'ap' })
            .apply(inp) as ST;
          const out = tf.layers.concatenate({ name: 'out' }).apply([conv, dw, mp, ap]) as ST;
          const r = await expectSameFunction(tf.model({ inputs: inp, outputs: out }), { batch: 1, seed: size + k });
          expect(r.output.shape).toEqual([null, 8, Math.ceil(size / s), Math.ceil((size + 1) / s)]);
        });
      }
    }
  });
});
