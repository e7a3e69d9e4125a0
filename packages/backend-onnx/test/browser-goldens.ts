import { decodeNpy, type Tensor } from '@gradscope/core';

/** Fixture files over HTTP (the browser configs serve test/fixtures at `/`) and comparisons for the browser tests. */
export const get = async (path: string): Promise<Uint8Array> => new Uint8Array(await (await fetch(path)).arrayBuffer());
export const npy = async (path: string): Promise<Tensor> => decodeNpy(await get(path));

export const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

export const cosine = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let d = 0,
    na = 0,
    nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i]! * b[i]!;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  return d / Math.sqrt(na * nb);
};
