/** cv2.cvtColor(RGB2GRAY) on 8-bit pixels: BT.601 weights in 16-bit fixed point (OpenCV 4), rounded. */
export function grayU8(r: Uint8Array, g: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(r.length);
  for (let i = 0; i < r.length; i++) out[i] = (r[i]! * 19595 + g[i]! * 38470 + b[i]! * 7471 + 32768) >>> 16;
  return out;
}

/** OpenCV's round-half-to-even of a double, saturated to [0, 255] (`saturate_cast<uchar>`). */
function saturateU8(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  const r = d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f;
  return r < 0 ? 0 : r > 255 ? 255 : r;
}

/**
 * pytorch-grad-cam's `sobel_cam` on an 8-bit gray image: 3×3 Sobel in x and y (OpenCV's default
 * BORDER_REFLECT_101), `convertScaleAbs` of each, then `addWeighted(·, 0.5, ·, 0.5, 0)`, all with
 * OpenCV's rounding. Returns 8-bit values as floats, `[H·W]`.
 */
export function sobelU8(gray: Uint8Array, H: number, W: number): Float32Array {
  const at = (y: number, x: number) => {
    const yy = y < 0 ? -y : y >= H ? 2 * H - 2 - y : y;
    const xx = x < 0 ? -x : x >= W ? 2 * W - 2 - x : x;
    return gray[Math.min(Math.max(yy, 0), H - 1) * W + Math.min(Math.max(xx, 0), W - 1)]!;
  };
  const out = new Float32Array(H * W);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const gx =
        at(y - 1, x + 1) +
        2 * at(y, x + 1) +
        at(y + 1, x + 1) -
        (at(y - 1, x - 1) + 2 * at(y, x - 1) + at(y + 1, x - 1));
      const gy =
        at(y + 1, x - 1) +
        2 * at(y + 1, x) +
        at(y + 1, x + 1) -
        (at(y - 1, x - 1) + 2 * at(y - 1, x) + at(y - 1, x + 1));
      const ax = saturateU8(Math.abs(gx));
      const ay = saturateU8(Math.abs(gy));
      out[y * W + x] = saturateU8(Math.fround(Math.fround(ax * 0.5) + Math.fround(ay * 0.5)));
    }
  }
  return out;
}
