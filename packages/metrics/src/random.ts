import { seededUniform } from '@gradscope/core';

/**
 * Mixes 32-bit words into one well-spread seed (murmur3's finaliser after each word), so that sample
 * `i` of seed `s` draws from a stream of its own: `seededUniform(mixSeeds(s, i))`. Draws then do not
 * depend on how the samples are chunked.
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

/** `n` draws uniform in [lo, hi) from a seeded mulberry32 stream (core's `seededUniform`). */
export function uniformArray(n: number, lo: number, hi: number, seed: number): Float32Array {
  const next = seededUniform(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * next();
  return out;
}

/** `n` draws from N(0, σ²) by the Box–Muller transform on a seeded mulberry32 stream. */
export function gaussianArray(n: number, sigma: number, seed: number): Float32Array {
  const next = seededUniform(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = sigma * Math.sqrt(-2 * Math.log(1 - next())); // 1 − u ∈ (0, 1]: the log is finite
    const t = 2 * Math.PI * next();
    out[i] = r * Math.cos(t);
    if (i + 1 < n) out[i + 1] = r * Math.sin(t);
  }
  return out;
}
