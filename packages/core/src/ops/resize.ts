/** A window of a resized map: rows `[top, top + height)`, columns `[left, left + width)`. */
export interface ResizeCrop {
  readonly top: number;
  readonly left: number;
  readonly height: number;
  readonly width: number;
}

/**
 * Bilinear resize of an `[h, w]` map to `[H, W]` with half-pixel centres, edge clamping and no
 * antialiasing: OpenCV's `INTER_LINEAR` on float32 (what pytorch-grad-cam uses), equal to tfjs
 * `resizeBilinear(x, size, false, true)`. With `crop`, only that window of the `[H, W]` result is
 * computed and returned (`[crop.height, crop.width]`, the same values as cropping the full result).
 */
export function resizeBilinear(
  src: Float32Array,
  h: number,
  w: number,
  H: number,
  W: number,
  crop: ResizeCrop = { top: 0, left: 0, height: H, width: W },
): Float32Array {
  const { top, left, height: oh, width: ow } = crop;
  const out = new Float32Array(oh * ow);
  const xs = axis(w, w / W, left, ow);
  // interpolate every source row horizontally once, then each output row is a lerp of two of them
  const rows = new Float64Array(h * ow);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let X = 0; X < ow; X++) {
      const fx = xs.f[X]!;
      rows[y * ow + X] = src[o + xs.i0[X]!]! * (1 - fx) + src[o + xs.i1[X]!]! * fx;
    }
  }
  const sy = h / H;
  for (let Y = 0; Y < oh; Y++) {
    const [y0, y1, fy] = coord(top + Y, sy, h);
    const a = y0 * ow,
      b = y1 * ow,
      o = Y * ow;
    for (let X = 0; X < ow; X++) out[o + X] = rows[a + X]! * (1 - fy) + rows[b + X]! * fy;
  }
  return out;
}

function coord(D: number, scale: number, n: number): [number, number, number] {
  let s = (D + 0.5) * scale - 0.5;
  if (s < 0) s = 0;
  let i0 = Math.floor(s);
  let f = s - i0;
  if (i0 >= n - 1) {
    i0 = n - 1;
    f = 0;
  }
  const i1 = Math.min(i0 + 1, n - 1);
  return [i0, i1, f];
}

/** Source indices and weights of the output positions `[from, from + count)` along one axis. */
function axis(n: number, scale: number, from: number, count: number) {
  const i0 = new Int32Array(count),
    i1 = new Int32Array(count),
    f = new Float64Array(count);
  for (let X = 0; X < count; X++) [i0[X], i1[X], f[X]] = coord(from + X, scale, n);
  return { i0, i1, f };
}

/**
 * Bilinear resize with aligned corners (`torch.nn.functional.interpolate(..., align_corners=True)`),
 * used by Score-CAM's masks.
 */
export function resizeBilinearAlignCorners(
  src: Float32Array,
  h: number,
  w: number,
  H: number,
  W: number,
): Float32Array {
  const out = new Float32Array(H * W);
  const sy = H > 1 ? (h - 1) / (H - 1) : 0;
  const sx = W > 1 ? (w - 1) / (W - 1) : 0;
  for (let Y = 0; Y < H; Y++) {
    const y = Y * sy,
      y0 = Math.min(Math.floor(y), h - 1),
      y1 = Math.min(y0 + 1, h - 1),
      fy = y - y0;
    for (let X = 0; X < W; X++) {
      const x = X * sx,
        x0 = Math.min(Math.floor(x), w - 1),
        x1 = Math.min(x0 + 1, w - 1),
        fx = x - x0;
      const top = src[y0 * w + x0]! * (1 - fx) + src[y0 * w + x1]! * fx;
      const bot = src[y1 * w + x0]! * (1 - fx) + src[y1 * w + x1]! * fx;
      out[Y * W + X] = top * (1 - fy) + bot * fy;
    }
  }
  return out;
}
