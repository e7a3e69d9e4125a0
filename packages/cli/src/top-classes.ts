import { softmax } from '@gradscope/core';

export interface ClassScore {
  readonly index: number;
  readonly name: string | null;
  readonly probability: number;
  readonly logit: number;
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/**
 * The `k` highest logits of one image with their probabilities and names (if known). Probabilities
 * follow the model's removed output activation: `sigmoid` gives p_k = σ(y_k) per output (a single
 * output is always a sigmoid score — a softmax over one value would be 1), otherwise softmax.
 */
export function topClasses(
  logits: ArrayLike<number>,
  k: number,
  classes: readonly string[] = [],
  activation?: 'softmax' | 'sigmoid',
): ClassScore[] {
  const p = activation === 'sigmoid' || logits.length === 1 ? Float32Array.from(logits, sigmoid) : softmax(logits);
  return Array.from({ length: logits.length }, (_, i) => i)
    .sort((a, b) => logits[b]! - logits[a]! || a - b)
    .slice(0, k)
    .map((i) => ({ index: i, name: classes[i] ?? null, probability: p[i]!, logit: logits[i]! }));
}
