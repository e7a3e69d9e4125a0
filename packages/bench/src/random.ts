import { seededUniform as uniformRng } from '@gradscope/core';

/** `n` seeded draws from N(mean, std²) (Box–Muller over `uniformRng`). */
export function normals(n: number, seed: number, mean = 0, std = 1): Float32Array {
  const u = uniformRng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    const th = 2 * Math.PI * u();
    out[i] = mean + std * r * Math.cos(th);
    if (i + 1 < n) out[i + 1] = mean + std * r * Math.sin(th);
  }
  return out;
}

/** `n` seeded draws from U(lo, hi). */
export function uniforms(n: number, seed: number, lo = 0, hi = 1): Float32Array {
  const u = uniformRng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * u();
  return out;
}
