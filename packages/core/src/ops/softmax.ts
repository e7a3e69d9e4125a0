/** The index of the first maximum. */
export function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

/** `exp(v − max) / Σ exp(v − max)`, in float32. */
export function softmax(v: ArrayLike<number>): Float32Array {
  let m = -Infinity;
  for (let i = 0; i < v.length; i++) m = Math.max(m, v[i]!);
  const out = new Float32Array(v.length);
  let s = 0;
  for (let i = 0; i < v.length; i++) s += out[i] = Math.exp(v[i]! - m);
  for (let i = 0; i < v.length; i++) out[i]! /= s;
  return out;
}
