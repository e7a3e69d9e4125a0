import * as tf from '@tensorflow/tfjs';
import {
  targetHessian,
  UnsupportedModelError,
  type CaptureRequest,
  type LayerHook,
  type Target,
  type Tensor,
} from '@gradscope/core';
import { channelsFirst, download } from '../download.js';
import { registerAvgPoolGradGradient } from './avg-pool-grad-grad.js';

/** The logits as a function of one layer's output (everything else held fixed). */
export type Tail = (a: tf.Tensor) => tf.Tensor;

/**
 * `H·A` at a layer output A (native layout): the exact Hessian-vector product of the score, by
 * nested `tf.grad`. The score is differentiated as `σ·y + ½·(y − y₀)ᵀ S (y − y₀)` per image, with
 * σ = d score / d logits, y₀ the logits and S the target's Hessian in them (`targetHessian`), all at
 * the captured point: its first and second derivatives there are the target's own, so the result is
 * the HVP of the target's score, the network's curvature and the target's both included.
 */
export function hessianVector(tail: Tail, a: tf.Tensor, hook: LayerHook, targets: readonly Target[]): tf.Tensor {
  registerAvgPoolGradGradient();
  try {
    return nestedGrad(tail, a, hook, targets);
  } catch (e) {
    // e.g. MaxPoolGrad: tfjs registers no gradient for it, so no max pooling may follow the layer
    const kernel = /gradient function not found for (\w+)/.exec(String((e as Error)?.message))?.[1];
    if (!kernel) throw e;
    throw new UnsupportedModelError(
      `a Hessian-vector product needs second-order gradients of the network after the layer, and tfjs has none for '${kernel}' (a max pooling after the layer?): choose a later layer`,
    );
  }
}

function nestedGrad(tail: Tail, a: tf.Tensor, hook: LayerHook, targets: readonly Target[]): tf.Tensor {
  const [n, K] = hook.logits.shape as [number, number];
  const y0 = hook.logits.data;
  const sigma = new Float32Array(n * K);
  const S = new Float32Array(n * K * K);
  hook.targets.forEach((r, i) => {
    sigma.set(r.seed, i * K);
    // the top-1 class is resolved on the same logits as the seed was
    S.set(targetHessian(targets[i]!, y0.subarray(i * K, (i + 1) * K)), i * K * K);
  });
  const quadratic = S.some((v) => v !== 0);
  return tf.tidy(() => {
    const sig = tf.tensor2d(sigma, [n, K]);
    const yRef = tf.tensor2d(y0 as Float32Array, [n, K]);
    const hess = tf.tensor3d(S, [n, K, K]);
    const score = (av: tf.Tensor): tf.Scalar => {
      const y = tail(av);
      const lin: tf.Scalar = tf.sum(tf.mul(y, sig));
      if (!quadratic) return lin;
      const d = tf.sub(y, yRef).reshape([n, K, 1]);
      return tf.add(lin, tf.mul(0.5, tf.sum(tf.mul(d, tf.matMul(hess, d))))) as tf.Scalar;
    };
    const grad = tf.grad(score);
    const v = tf.clone(a);
    // `+ 0·Σa`: when the gradient does not depend on A (H = 0), the result is zeros, not an error
    return tf.grad((av: tf.Tensor) => tf.add(tf.sum(tf.mul(grad(av), v)), tf.mul(0, tf.sum(av))))(a);
  });
}

/** Downloads `H·A` per requested layer, channels-first, keyed by the request's layer names. */
/**
 * `H·A` for each requested layer (`CaptureRequest.hessianVector`), channels-first, keyed by the
 * request's layer names: `output(xt, k)` is layer `k`'s output from an untaped forward and
 * `tail(xt, k)` the network from that layer; both model kinds supply their own.
 */
export async function layerHessianVectors(
  x: Tensor,
  req: CaptureRequest,
  hook: LayerHook,
  keyOf: (l: string) => string,
  output: (xt: tf.Tensor, k: string) => tf.Tensor,
  tail: (xt: tf.Tensor, k: string) => Tail,
): Promise<Map<string, Tensor>> {
  const keys = [...new Set(req.layers.map(keyOf))];
  const hv = new Map<string, tf.Tensor>();
  const xt = tf.tensor(x.data, [...x.shape]);
  try {
    for (const k of keys) {
      const a = tf.tidy(() => output(xt, k));
      try {
        hv.set(k, hessianVector(tail(xt, k), a, hook, req.targets));
      } finally {
        a.dispose();
      }
    }
    return await downloadHessianVectors(req.layers, keyOf, hv);
  } finally {
    xt.dispose();
    tf.dispose([...hv.values()]);
  }
}

async function downloadHessianVectors(
  layers: readonly string[],
  keyOf: (l: string) => string,
  hv: ReadonlyMap<string, tf.Tensor>,
): Promise<Map<string, Tensor>> {
  const out = new Map<string, Tensor>();
  for (const l of layers) {
    const t = hv.get(keyOf(l));
    if (!t) continue;
    const cf = tf.tidy(() => channelsFirst(t));
    try {
      out.set(l, await download(cf));
    } finally {
      cf.dispose();
    }
  }
  return out;
}
