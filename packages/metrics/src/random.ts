import { mixSeeds, seededUniform } from '@gradscope/core';

/** Sample `i` of seed `s` draws from `seededUniform(mixSeeds(s, i))` (core's seed mixer). */
export { mixSeeds };

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
