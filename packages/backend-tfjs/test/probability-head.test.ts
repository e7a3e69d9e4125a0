import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { classTarget } from '@gradscope/core';
import { type TfjsGraphModel, useTfjsBackend } from '../src/index.js';
import { tfjsNodeBackend } from '../src/node.js';
import { randomTensor, relErr } from './helpers.js';
import { writeTinyGraphModel, type TinyGraphWeights } from './model-files.js';

beforeAll(() => useTfjsBackend('wasm'));

const weights: TinyGraphWeights = {
  w1: randomTensor([3, 3, 2, 4], 41).data,
  b1: Float32Array.from([3, 2.5, 3.5, 3]),
  w2: randomTensor([4, 3], 42).data,
  b2: Float32Array.from([0.1, -0.2, 0.3]),
};

/** The logits computed independently with tfjs ops from the same weights (conv → relu → pool → mean → dense). */
function net(x: tf.Tensor): tf.Tensor {
  const c = tf.relu(
    tf.conv2d(x as tf.Tensor4D, tf.tensor4d(weights.w1, [3, 3, 2, 4]), 1, 'same').add(tf.tensor1d(weights.b1)),
  );
  const g = tf.maxPool(c as tf.Tensor4D, 2, 2, 'valid').mean([1, 2]);
  return tf.matMul(g as tf.Tensor2D, tf.tensor2d(weights.w2, [4, 3])).add(tf.tensor1d(weights.b2));
}

describe('a final Softmax/Sigmoid behind Identity nodes (the normal tfjs-converter output) is the probability head', () => {
  it.each([
    ['Softmax', ['Identity']],
    ['Softmax', ['Identity', 'Identity']],
    ['Sigmoid', ['Identity']],
    ['Softmax', []],
  ] as const)('%s then %j: forward returns logits, gradients are of the logits', async (head, after) => {
    const model = (await tfjsNodeBackend.load(writeTinyGraphModel(weights, head, after))) as TfjsGraphModel;
    try {
      expect(model.bypassedActivation).toBe(head.toLowerCase());
      expect(model.layers.map((l) => l.name)).not.toContain('probs');
      const xt = randomTensor([1, 6, 6, 2], 43);
      const want = tf.tidy(() => net(tf.tensor4d(xt.data, [1, 6, 6, 2])).dataSync());
      expect(relErr((await model.forward(xt)).data, want)).toBeLessThan(1e-5);
      const hook = await model.capture(xt, {
        layers: [],
        gradients: false,
        inputGradient: true,
        targets: [classTarget(1)],
      });
      // d logit_1 / dx by tfjs autograd on the independent network (input layout NHWC)
      const g = tf.tidy(() =>
        tf
          .grad((x: tf.Tensor) => net(x).slice([0, 1], [1, 1]).sum())(tf.tensor4d(xt.data, [1, 6, 6, 2]))
          .dataSync(),
      );
      expect(relErr(hook.inputGradient!.data, g)).toBeLessThan(1e-4);
    } finally {
      await model.dispose();
    }
  });
});
