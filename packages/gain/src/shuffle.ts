import { seededUniform } from '@gradscope/core';

/** A seeded Fisher–Yates permutation of `0 … n−1`. */
export function shuffled(n: number, seed: number): number[] {
  const next = seededUniform(seed);
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
