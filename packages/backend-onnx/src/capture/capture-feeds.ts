import type { Target } from '@gradscope/core';
import type { BackwardModel } from '../grad/backward-model.js';
import type { OrtRuntime, OrtTensor } from '../ort-types.js';

/**
 * The seed feed of a backward model for a batch of `targets.length` images: the signs ([N, 1], −1
 * for negated targets) when the seed is computed in the graph (`argmax`), else the seeds
 * d score / d logits stacked to [N, …outputDims] (`[N, K]`, or `[N, K, H, W]` class planes).
 */
export function seedFeed(
  ort: OrtRuntime,
  backward: Pick<BackwardModel, 'seed'>,
  /** `sign`: the seed is computed in the graph from a sign (top-1 targets); `class`: from sign·onehot(class). */
  inGraph: 'sign' | 'class' | null,
  targets: readonly Target[],
  seeds: readonly Float32Array[],
  outputDims: readonly number[],
): Record<string, OrtTensor> {
  const n = targets.length;
  if (inGraph === 'class') {
    const K = outputDims.reduce((a, b) => a * b, 1);
    const signed = new Float32Array(n * K);
    targets.forEach((t, i) => (signed[i * K + (t as { index: number }).index] = t.negate ? -1 : 1));
    return { [backward.seed]: new ort.Tensor('float32', signed, [n, K]) };
  }
  if (inGraph === 'sign')
    return {
      [backward.seed]: new ort.Tensor(
        'float32',
        Float32Array.from(targets, (t) => (t.negate ? -1 : 1)),
        [n, 1],
      ),
    };
  const size = outputDims.reduce((a, b) => a * b, 1);
  const seed = new Float32Array(n * size);
  seeds.forEach((s, i) => seed.set(s, i * size));
  return { [backward.seed]: new ort.Tensor('float32', seed, [n, ...outputDims]) };
}
