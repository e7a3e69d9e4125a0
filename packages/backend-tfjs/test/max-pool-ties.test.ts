import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { classTarget, seedTarget } from '@gradscope/core';
import { maxPoolFirstMaxGrad, TfjsLayersModel, useTfjsBackend } from '../src/index.js';

/** x [1, 4, 4, 1] → MaxPool(pool, stride, padding) → flatten → dense(1) with weights w. */
function poolNet(pool: number, stride: number, padding: 'valid' | 'same', outCells: number) {
  const inp = tf.input({ shape: [4, 4, 1] });
  let x = tf.layers.maxPooling2d({ poolSize: pool, strides: stride, padding }).apply(inp) as tf.SymbolicTensor;
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  const fc = tf.layers.dense({ units: 1, useBias: false });
  const model = tf.model({ inputs: inp, outputs: fc.apply(x) as tf.SymbolicTensor });
  const w = Array.from({ length: outCells }, (_, i) => i + 1);
  fc.setWeights([tf.tensor2d(w, [outCells, 1])]);
  return { model, w };
}

/**
 * Expected input gradient: each window's weight goes to its FIRST maximal element in row-major
 * order (padding excluded), computed by scanning the windows here.
 */
function firstMaxGrad(x: number[], pool: number, stride: number, pad: number, out: number, w: number[]): number[] {
  const g = new Array<number>(16).fill(0);
  for (let oi = 0; oi < out; oi++) {
    for (let oj = 0; oj < out; oj++) {
      let best = -Infinity;
      let at = -1;
      for (let di = 0; di < pool; di++) {
        for (let dj = 0; dj < pool; dj++) {
          const i = oi * stride + di - pad;
          const j = oj * stride + dj - pad;
          if (i < 0 || j < 0 || i >= 4 || j >= 4) continue;
          if (x[i * 4 + j]! > best) {
            best = x[i * 4 + j]!;
            at = i * 4 + j;
          }
        }
      }
      g[at]! += w[oi * out + oj]!;
    }
  }
  return g;
}

// deliberate ties: equal maxima inside windows, including an all-equal window
const X = [1, 3, 3, 0, 3, 2, 0, 0, 5, 5, 2, 7, 5, 5, 7, 1];

// maxima of 0 next to the padding of 'same' windows: padding must never take the gradient
const X2 = [0, -1, 0, -2, -1, 0, -3, 0, -2, -2, -1, -1, 0, -4, -1, 0];

describe('MaxPool gradient routes ties to the first maximum on every tfjs backend', () => {
  afterAll(() => useTfjsBackend('wasm'));
  it.each(['wasm', 'cpu'] as const)('%s: 2×2/2 valid and 3×3/1 same windows', async (backend) => {
    await useTfjsBackend(backend);
    for (const [pool, stride, padding, out, pad] of [
      [2, 2, 'valid', 2, 0],
      [3, 1, 'same', 4, 1],
    ] as const) {
      const { model, w } = poolNet(pool, stride, padding, out * out);
      const m = await TfjsLayersModel.create(model);
      try {
        for (const input of [X, X2]) {
          const hook = await m.capture(
            { data: Float32Array.from(input), shape: [1, 4, 4, 1] },
            { layers: [], gradients: false, inputGradient: true, targets: [classTarget(0)] },
          );
          expect(Array.from(hook.inputGradient!.data)).toEqual(firstMaxGrad(input, pool, stride, pad, out, w));
        }
      } finally {
        m.dispose();
      }
    }
  });

  it('the stock wasm rule differs on this input (so the test above can fail)', async () => {
    await useTfjsBackend('wasm');
    const x = tf.tensor4d(X, [1, 4, 4, 1]);
    const stock = tf
      .grad((v: tf.Tensor4D) => tf.sum(tf.maxPool(v, 2, 2, 'valid')))(x)
      .dataSync();
    const ours = maxPoolFirstMaxGrad(tf.ones([1, 2, 2, 1]), x, tf.maxPool(x, 2, 2, 'valid'), {
      filterSize: 2,
      strides: 2,
      pad: 'valid',
    }).dataSync();
    expect(Array.from(ours)).toEqual(firstMaxGrad(X, 2, 2, 0, 2, [1, 1, 1, 1]));
    expect(Array.from(stock)).not.toEqual(Array.from(ours));
  });
});

describe('global max pooling routes each channel to its first maximum (torch adaptive_max_pool2d)', () => {
  afterAll(() => useTfjsBackend('wasm'));
  it.each(['wasm', 'cpu'] as const)(
    '%s: a constant channel and repeated maxima give one element the gradient',
    async (backend) => {
      await useTfjsBackend(backend);
      const inp = tf.input({ shape: [3, 3, 2] });
      const model = tf.model({
        inputs: inp,
        outputs: tf.layers.globalMaxPooling2d({}).apply(inp) as tf.SymbolicTensor,
      });
      const m = await TfjsLayersModel.create(model);
      try {
        // NHWC: channel 0 is constant 0.5; channel 1 has its maximum 3 at pixels 1, 2 and 4
        const c1 = [1, 3, 3, 0, 3, 1, 2, 2, 2];
        const data = Float32Array.from(c1.flatMap((v) => [0.5, v]));
        const hook = await m.capture(
          { data, shape: [1, 3, 3, 2] },
          { layers: [], gradients: false, inputGradient: true, targets: [seedTarget([2, -1])] },
        );
        // torch: adaptive_max_pool2d(x, 1) backward puts d score / d y at the first maximum of each channel
        const want = new Array<number>(18).fill(0);
        want[0] = 2; // pixel 0, channel 0
        want[1 * 2 + 1] = -1; // pixel 1, channel 1
        expect(Array.from(hook.inputGradient!.data, (v) => v + 0)).toEqual(want); // + 0: −0 → 0
      } finally {
        m.dispose();
      }
    },
  );
});
