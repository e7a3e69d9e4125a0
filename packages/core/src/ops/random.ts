/**
 * A seeded generator of uniform floats in [0, 1): mulberry32 (a 32-bit state advanced by a Weyl
 * increment, scrambled by two multiply-xorshift rounds; period 2³²). For reproducible noise and
 * synthetic data, not for cryptography.
 */
export function seededUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
