/** A seeded random source (mulberry32): the same seed gives the same cases on every machine. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
}

export function rng(seed: number): Rng {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: (xs) => xs[int(xs.length)]!, chance: (p) => next() < p };
}

/** Values that break naive size arithmetic. */
export const NASTY_INTS = [0, 1, -1, 2, 3, 7, 255, 65535, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 40, -(2 ** 31), 1e9];

/** Flips `n` random bytes of a copy of `b` (never the first `keep` bytes). */
export function flipBytes(r: Rng, b: Uint8Array, n: number, keep = 0): Uint8Array {
  const out = new Uint8Array(b);
  if (out.length <= keep) return out;
  for (let i = 0; i < n; i++) out[keep + r.int(out.length - keep)] = r.int(256);
  return out;
}

/** A copy of `b` cut at a random length. */
export const truncate = (r: Rng, b: Uint8Array): Uint8Array => b.slice(0, r.int(b.length));
