import { seededUniform } from '@gradscope/core';

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

/**
 * Mixes several 32-bit integers into one well-spread 32-bit seed (murmur3's finaliser after each
 * word), so that sample `i` of seed `s` gets an independent stream: `mulberry32(mixSeeds(s, i))`.
 */
export function mixSeeds(...words: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const w of words) {
    h = Math.imul(h ^ (w >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}
