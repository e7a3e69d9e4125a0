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

/**
 * Mixes several 32-bit integers into one well-spread 32-bit seed (murmur3's finaliser after each
 * word), so that sample `i` of seed `s` gets an independent stream: `seededUniform(mixSeeds(s, i))`.
 * Draws then do not depend on how samples are chunked.
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
