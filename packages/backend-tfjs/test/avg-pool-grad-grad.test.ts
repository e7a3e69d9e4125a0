import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { registerAvgPoolGradGradient } from '../src/grad/avg-pool-grad-grad.js';

// f(a) = Σ w ⊙ avgPool(a)²: its gradient contains AvgPoolGrad(dy) with dy depending on a, so a
// Hessian-vector product by nested tf.grad needs AvgPoolGrad's own gradient. Checked against a
// central difference of the (first-order, built-in) gradient: H·v ≈ (∇f(a + εv) − ∇f(a − εv)) / 2ε.
describe('AvgPoolGrad has a gradient (second order through average pooling)', () => {
  for (const [pad, size, stride] of [
    ['valid', 2, 2],
    ['same', 3, 1],
    ['same', 3, 2],
  ] as const)
    it(`matches finite differences: ${size}×${size}/${stride} ${pad}`, async () => {
      await tf.setBackend('cpu');
      registerAvgPoolGradGradient();
      const a = tf.randomNormal([1, 5, 6, 2], 0, 1, 'float32', 1) as tf.Tensor4D;
      const v = tf.randomNormal([1, 5, 6, 2], 0, 1, 'float32', 2) as tf.Tensor4D;
      const w = tf.randomNormal(tf.avgPool(a, size, stride, pad).shape, 0, 1, 'float32', 3);
      const f = (x: tf.Tensor) => tf.sum(tf.mul(w, tf.square(tf.avgPool(x as tf.Tensor4D, size, stride, pad))));
      const grad = tf.grad(f);
      const hv = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(grad(x), v)))(a);
      const eps = 1e-2; // f is quadratic: the central difference is exact up to rounding
      const fd = tf.div(tf.sub(grad(tf.add(a, tf.mul(eps, v))), grad(tf.sub(a, tf.mul(eps, v)))), 2 * eps);
      const err = tf.max(tf.abs(tf.sub(hv, fd))).dataSync()[0]!;
      const scale = tf.max(tf.abs(fd)).dataSync()[0]!;
      expect(scale).toBeGreaterThan(0.1);
      expect(err / scale).toBeLessThan(1e-4);
    });
});
