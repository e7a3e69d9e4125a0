import type { ImageGeometry } from './image-geometry.js';

/**
 * The 1-D factor of RISE's blur kernel (`gkern(klen, nsig)` in its evaluation code): SciPy's
 * `gaussian_filter(delta, nsig)` applied to a `klen`-long unit impulse at the centre. SciPy's filter has
 * radius `int(4·σ + 0.5)` (20 for σ = 5) and mode 'reflect', so on an 11-long array the tails fold back
 * into the kernel: it is a folded, not a truncated, Gaussian, and sums to 1.
 */
export function riseKernel1d(klen: number, sigma: number): Float64Array {
  const r = Math.floor(4 * sigma + 0.5);
  const w = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let j = -r; j <= r; j++) sum += w[j + r] = Math.exp((-0.5 * j * j) / (sigma * sigma));
  const k = new Float64Array(klen);
  const centre = Math.floor(klen / 2);
  const period = 2 * klen;
  for (let i = 0; i < klen; i++)
    for (let j = -r; j <= r; j++) {
      const m = (((i + j) % period) + period) % period; // SciPy 'reflect': d c b a | a b c d | d c b a
      if ((m < klen ? m : period - 1 - m) === centre) k[i]! += w[j + r]! / sum;
    }
  return k;
}

/**
 * RISE's blurred substrate: every channel of one image convolved with the separable kernel
 * `riseKernel1d(klen, σ)²` with zero padding of `klen // 2` (its `conv2d(x, kern, padding=klen//2)`), so
 * borders darken towards 0. `data` is one image laid out as `g` says.
 */
export function riseBlur(data: Float32Array, g: ImageGeometry, klen = 11, sigma = 5): Float32Array {
  const k = riseKernel1d(klen, sigma);
  const { channels: C, height: H, width: W, channelStride: cs, pixelStride: ps } = g;
  const half = Math.floor(klen / 2);
  const out = new Float32Array(data.length);
  const rowPass = new Float64Array(H * W);
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        let s = 0;
        for (let t = 0; t < klen; t++) {
          const xx = x + t - half;
          if (xx >= 0 && xx < W) s += k[t]! * data[c * cs + (y * W + xx) * ps]!;
        }
        rowPass[y * W + x] = s;
      }
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        let s = 0;
        for (let t = 0; t < klen; t++) {
          const yy = y + t - half;
          if (yy >= 0 && yy < H) s += k[t]! * rowPass[yy * W + x]!;
        }
        out[c * cs + (y * W + x) * ps] = s;
      }
  }
  return out;
}
