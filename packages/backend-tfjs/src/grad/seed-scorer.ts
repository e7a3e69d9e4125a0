import * as tf from '@tensorflow/tfjs';
import type { ResolvedTarget, Target } from '@gradscope/core';
import { seedsFor } from './seeds.js';

/**
 * The score every capture differentiates: `Σ logits · seed`. Seeds fixed up front are used as they
 * are; otherwise they are resolved from the logits themselves (one synchronous read) and the resolved
 * targets are kept for the LayerHook. Each call also keeps a clone of the logits in `logitsOut`.
 */
export function seedScorer(
  targets: readonly Target[],
  n: number,
  dims: readonly number[],
  fixed: Float32Array | null,
  logitsOut: tf.Tensor[],
) {
  let resolved: ResolvedTarget[] | null = null;
  const score = (logits: tf.Tensor): tf.Scalar => {
    logitsOut.push(tf.keep(tf.clone(logits)));
    let seeds = fixed;
    if (seeds === null) {
      const r = seedsFor(targets, logits.dataSync() as Float32Array, dims);
      seeds = r.seeds;
      resolved = r.resolved;
    }
    return tf.sum(tf.mul(logits, tf.tensor(seeds, [n, ...dims])));
  };
  return { score, resolved: () => resolved };
}
