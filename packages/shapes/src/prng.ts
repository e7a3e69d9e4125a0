import { mixSeeds, seededUniform } from '@gradscope/core';

/** A seeded pseudo-random source: uniform floats in [0, 1) and a few helpers built on them. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** One element of `xs`, uniformly. */
  pick<T>(xs: readonly T[]): T;
}

/** mulberry32 (core's `seededUniform`) with the helpers image synthesis needs. */
export function mulberry32(seed: number): Rng {
  const next = seededUniform(seed);
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    int: (n) => Math.floor(next() * n),
    pick: (xs) => xs[Math.floor(next() * xs.length)]!,
  };
}

/** Sample `i` of seed `s` draws from `seededUniform(mixSeeds(s, i))` (core's seed mixer). */
export { mixSeeds };
