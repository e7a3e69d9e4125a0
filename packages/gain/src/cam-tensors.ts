import type * as tfjs from '@tensorflow/tfjs';
import { resizeBilinear } from '@gradscope/core';
import type { SplitModel } from './split-model.js';

/**
 * Pass 1 of the GAIN step, run OUTSIDE the optimizer's tape: Grad-CAM's channel weights
 * `w_k = mean_ij ∂s^c/∂f_k(i,j)` for each (image, class) pair, seeded with one-hot `seeds` `[P, K]`
 * on the logits, with BatchNorm/dropout in inference mode. Because no outer tape is recording,
 * the result is a constant for the GAIN losses (first order, as the paper and its reference code):
 * TF.js has no `stopGradient`, and computing `w` inside the tape would add a second-order term.
 * Returns `[P, 1, 1, C]`.
 */
export function camWeights(tf: typeof tfjs, net: SplitModel, x: tfjs.Tensor, seeds: tfjs.Tensor2D): tfjs.Tensor4D {
  return tf.tidy(() => {
    const f = net.features(x, false);
    const g = tf.grad((a: tfjs.Tensor) => tf.sum(tf.mul(net.head(a, false), seeds)))(f);
    return tf.mean(g, [1, 2], true) as tfjs.Tensor4D;
  });
}

/** Per-map min-max scaling as gradscope's `gradcam` does it: `(a − min) / (1e-7 + max − min)`. */
export function minMaxMaps(tf: typeof tfjs, a: tfjs.Tensor3D, detach: boolean): tfjs.Tensor3D {
  const min = tf.min(a, [1, 2], true);
  const max = tf.max(a, [1, 2], true);
  const lo = detach ? stopGradient(tf, min) : min;
  const hi = detach ? stopGradient(tf, max) : max;
  return tf.div(tf.sub(a, lo), tf.add(tf.sub(hi, lo), 1e-7));
}

/** Identity whose gradient is zero (tfjs has no `stopGradient`). */
export function stopGradient<T extends tfjs.Tensor>(tf: typeof tfjs, t: T): T {
  const f = tf.customGrad((x) => ({
    value: (x as tfjs.Tensor).clone(),
    gradFunc: (dy: tfjs.Tensor) => tf.zerosLike(dy),
  }));
  return f(t) as T;
}

const matrices = new Map<string, Float32Array>();

/**
 * The `[h·w, H·W]` matrix of core's `resizeBilinear` (half-pixel centres, edge clamping), so the
 * resize inside the loss is linear, differentiable and bit-for-bit the one `gradcam` uses.
 */
export function resizeMatrix(h: number, w: number, H: number, W: number): Float32Array {
  const key = `${h},${w},${H},${W}`;
  let m = matrices.get(key);
  if (!m) {
    m = new Float32Array(h * w * H * W);
    const unit = new Float32Array(h * w);
    for (let i = 0; i < h * w; i++) {
      unit.fill(0);
      unit[i] = 1;
      m.set(resizeBilinear(unit, h, w, H, W), i * H * W);
    }
    matrices.set(key, m);
  }
  return m;
}

/**
 * Grad-CAM maps inside the tape, exactly gradscope's `gradcam` pipeline: `ReLU(Σ_k w_k f_k)`,
 * min-max per map, bilinear resize to `[H, W]`, min-max again. `w` is constant (see
 * {@link camWeights}); the map depends on θ through `f`. With `detach` the min and max are treated
 * as constants (the reference code's choice; it collapses under L_e, GAIN.md §1.3).
 * Returns `raw` (the unscaled ReLU map, `[P, h, w]`) and `map` (`[P, H, W]` in [0, 1]).
 */
export function camMaps(
  tf: typeof tfjs,
  f: tfjs.Tensor4D,
  w: tfjs.Tensor4D,
  H: number,
  W: number,
  detach: boolean,
): { raw: tfjs.Tensor3D; map: tfjs.Tensor3D } {
  const [P, h, wd] = f.shape;
  const raw = tf.relu(tf.sum(tf.mul(f, w), -1)) as tfjs.Tensor3D;
  let map = minMaxMaps(tf, raw, detach);
  if (h !== H || wd !== W) {
    const r = tf.tensor2d(resizeMatrix(h, wd, H, W), [h * wd, H * W]);
    map = tf.matMul(tf.reshape(map, [P, h * wd]), r).reshape([P, H, W]);
  }
  // gradscope's final aggregate step scales again (a no-op up to 1e-7 when nothing was resized)
  return { raw, map: minMaxMaps(tf, map, detach) };
}
