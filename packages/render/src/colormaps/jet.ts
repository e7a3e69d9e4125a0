/**
 * OpenCV's COLORMAP_JET as a 256-entry RGB table (not matplotlib's jet, which differs from it by up to 34 levels).
 *
 * OpenCV defines jet by 256 float32 control values per channel that are piecewise linear in the index
 * i with slope ±4/255 on levels at half-integers (red: 0 up to i = 95, then 1.5, 5.5, …, 253.5, then 255
 * from i = 160, then 251.5 down to 127.5 from i = 224; green and blue alike, see `CONTROL`), samples
 * them with its `interp1` at `linspace(0, 1, 256)` in float32 (which perturbs the last bit), and
 * rounds `255 · value` to the nearest integer, ties to even (`cvRound`). Repeating that float32
 * arithmetic reproduces OpenCV's table exactly (e.g. blue[159] = 1, where exact arithmetic gives 2);
 * the tests compare every entry with `cv2.applyColorMap`.
 */
export function jetLut(): Uint8Array {
  return (cached ??= buildJet());
}

let cached: Uint8Array | undefined;

/** Control points (index, level in 1/255 units) of each channel; linear in between, flat outside. */
const CONTROL: readonly (readonly (readonly [number, number])[])[] = [
  [
    [95, 0],
    [96, 1.5],
    [159, 253.5],
    [160, 255],
    [223, 255],
    [224, 251.5],
    [255, 127.5],
  ], // red
  [
    [31, 0],
    [32, 0.5],
    [95, 252.5],
    [96, 255],
    [159, 255],
    [160, 252.5],
    [223, 0.5],
    [224, 0],
  ], // green
  [
    [0, 127.5],
    [31, 251.5],
    [32, 255],
    [95, 255],
    [96, 253.5],
    [159, 1.5],
    [160, 0],
  ], // blue
];

function level(points: readonly (readonly [number, number])[], i: number): number {
  if (i <= points[0]![0]) return points[0]![1];
  for (let k = 1; k < points.length; k++) {
    const [i1, v1] = points[k]!;
    if (i <= i1) {
      const [i0, v0] = points[k - 1]!;
      return v0 + ((v1 - v0) * (i - i0)) / (i1 - i0);
    }
  }
  return points[points.length - 1]![1];
}

function buildJet(): Uint8Array {
  const f = Math.fround;
  const n = 256;
  const step = f(1 / (n - 1));
  const x = Float32Array.from({ length: n }, (_, i) => f(i * step)); // OpenCV's linspace(0, 1, 256)
  const lut = new Uint8Array(n * 3);
  CONTROL.forEach((points, ch) => {
    const y = Float32Array.from({ length: n }, (_, i) => level(points, i) / 255);
    for (let i = 0; i < n; i++) {
      // interp1 at xi = x[i]: the bracketing pair is (i − 1, i), evaluated in float32 as OpenCV does.
      const lo = Math.max(0, i - 1),
        hi = Math.max(1, i);
      const v = f(y[lo]! + f(f(f(x[i]! - x[lo]!) * f(y[hi]! - y[lo]!)) / f(x[hi]! - x[lo]!)));
      lut[i * 3 + ch] = roundHalfEven(f(v * 255));
    }
  });
  return lut;
}

function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : Math.min(255, Math.max(0, r));
}
