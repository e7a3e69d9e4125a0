/**
 * NumPy's default (`method='linear'`) percentile of float32 values, step for step as NumPy 1.24 does it
 * on a float32 array: virtual index `(n − 1)·p/100`, the neighbours' difference in float32, then
 * `a + d·t` (or `b − d·(1 − t)` when `t ≥ 0.5`) in float64. ROAD's thresholds must be bit-equal to
 * pytorch-grad-cam's, since pixels equal to the threshold change sides otherwise.
 */
export function percentile(values: Float32Array, p: number): number {
  const sorted = Float32Array.from(values).sort();
  const n = sorted.length;
  const virtual = (n - 1) * (p / 100);
  if (virtual >= n - 1) return sorted[n - 1]!;
  if (virtual < 0) return sorted[0]!;
  const lo = Math.floor(virtual);
  const t = virtual - lo;
  const a = sorted[lo]!;
  const b = sorted[lo + 1]!;
  const d = Math.fround(b - a);
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}
