/** How SSIM weights each window (skimage's `structural_similarity`). */
export type SsimWindow = 'gaussian' | 'uniform';

/** 1-D filter taps: Gaussian σ = 1.5 truncated at 3.5σ (radius 5, as skimage), or a 7-wide box. */
function taps(window: SsimWindow): Float64Array {
  if (window === 'uniform') return new Float64Array(7).fill(1 / 7);
  const r = 5;
  const t = Float64Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-0.5 * ((i - r) / 1.5) ** 2));
  const s = t.reduce((a, b) => a + b, 0);
  return t.map((v) => v / s);
}

/** Separable filter of `m` (`h`×`w`), computed only where the window fits (the part SSIM averages). */
function filterValid(m: Float64Array, h: number, w: number, k: Float64Array): Float64Array {
  const r = (k.length - 1) / 2;
  const rows = new Float64Array(h * w);
  for (let y = 0; y < h; y++)
    for (let x = r; x < w - r; x++) {
      let s = 0;
      for (let j = 0; j < k.length; j++) s += k[j]! * m[y * w + x - r + j]!;
      rows[y * w + x] = s;
    }
  const out = new Float64Array(h * w);
  for (let y = r; y < h - r; y++)
    for (let x = r; x < w - r; x++) {
      let s = 0;
      for (let j = 0; j < k.length; j++) s += k[j]! * rows[(y - r + j) * w + x]!;
      out[y * w + x] = s;
    }
  return out;
}

/**
 * Mean structural similarity (Wang et al. 2004) of two `[h, w]` images, as skimage's
 * `structural_similarity(a, b, data_range=1)` computes it: local means, variances and covariance
 * over a window — `gaussian` (σ = 1.5, 11×11, `gaussian_weights=True`, what Adebayo et al.'s notebooks
 * use) or `uniform` (7×7, skimage's default) — with skimage's sample-covariance factor N/(N−1), then
 * `((2μaμb + C1)(2σab + C2)) / ((μa² + μb² + C1)(σa² + σb² + C2))`, C1 = (0.01)², C2 = (0.03)², averaged
 * over the pixels whose window lies inside the image. In [−1, 1]; 1 for equal images.
 */
export function ssim(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  h: number,
  w: number,
  window: SsimWindow = 'gaussian',
): number {
  const k = taps(window);
  const r = (k.length - 1) / 2;
  if (h <= 2 * r || w <= 2 * r) throw new RangeError(`SSIM needs images larger than ${2 * r + 1}×${2 * r + 1}`);
  const fa = Float64Array.from(a);
  const fb = Float64Array.from(b);
  const prod = (u: Float64Array, v: Float64Array) => u.map((x, i) => x * v[i]!);
  const [ua, ub, uaa, ubb, uab] = [fa, fb, prod(fa, fa), prod(fb, fb), prod(fa, fb)].map((m) =>
    filterValid(m, h, w, k),
  ) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  const np = k.length * k.length;
  const cov = np / (np - 1); // skimage's default use_sample_covariance=True, for both windows
  const [c1, c2] = [0.01 ** 2, 0.03 ** 2];
  let sum = 0;
  let count = 0;
  for (let y = r; y < h - r; y++)
    for (let x = r; x < w - r; x++) {
      const i = y * w + x;
      const [ma, mb] = [ua[i]!, ub[i]!];
      const va = cov * (uaa[i]! - ma * ma);
      const vb = cov * (ubb[i]! - mb * mb);
      const vab = cov * (uab[i]! - ma * mb);
      sum += ((2 * ma * mb + c1) * (2 * vab + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
      count++;
    }
  return sum / count;
}
