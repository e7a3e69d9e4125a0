/** `max(v, 0)` element-wise, in a new array. */
export function relu(v: Float32Array): Float32Array {
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! > 0 ? v[i]! : 0;
  return out;
}

/**
 * pytorch-grad-cam's `scale_cam_image` without the resize: `v − min(v)`, then `/ (eps + max)`.
 * A constant map becomes all zeros. Computed in float32 like NumPy on a float32 array.
 */
export function minMaxScale(v: Float32Array, eps = 1e-7): Float32Array {
  let lo = Infinity;
  for (let i = 0; i < v.length; i++) if (v[i]! < lo) lo = v[i]!;
  const out = new Float32Array(v.length);
  let hi = -Infinity;
  for (let i = 0; i < v.length; i++) {
    out[i] = v[i]! - lo;
    if (out[i]! > hi) hi = out[i]!;
  }
  const d = Math.fround(eps + hi);
  for (let i = 0; i < v.length; i++) out[i] = out[i]! / d;
  return out;
}

/** Mean of all elements. */
export function mean(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  return v.length ? s / v.length : 0;
}

/** Population standard deviation. */
export function std(v: ArrayLike<number>): number {
  const m = mean(v);
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i]! - m) ** 2;
  return v.length ? Math.sqrt(s / v.length) : 0;
}
