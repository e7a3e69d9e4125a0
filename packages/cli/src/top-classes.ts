import { softmax } from '@gradscope/core';

export interface ClassScore {
  readonly index: number;
  readonly name: string | null;
  readonly probability: number;
  readonly logit: number;
}

/** The `k` highest logits of one image with their softmax probabilities and names (if known). */
export function topClasses(logits: ArrayLike<number>, k: number, classes: readonly string[] = []): ClassScore[] {
  const p = softmax(logits);
  return Array.from({ length: logits.length }, (_, i) => i)
    .sort((a, b) => logits[b]! - logits[a]! || a - b)
    .slice(0, k)
    .map((i) => ({ index: i, name: classes[i] ?? null, probability: p[i]!, logit: logits[i]! }));
}
