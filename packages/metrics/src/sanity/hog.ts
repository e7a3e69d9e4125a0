/** HOG parameters: skimage's `hog` defaults, with the 16-pixel cells Adebayo et al.'s notebooks pass. */
export interface HogOptions {
  readonly orientations?: number;
  readonly pixelsPerCell?: number;
  readonly cellsPerBlock?: number;
}

/**
 * Per-cell histograms `[cellsY, cellsX, orientations]` of gradient magnitude over unsigned orientation,
 * summed in float32 as skimage's Cython loop does (so that equal bins stay equal and ranks match).
 */
function cellHistograms(m: ArrayLike<number>, h: number, w: number, o: number, cell: number): Float64Array {
  const [cy, cx] = [Math.floor(h / cell), Math.floor(w / cell)];
  const hist = new Float64Array(cy * cx * o);
  const at = (y: number, x: number) => m[y * w + x]!;
  for (let y = 0; y < cy * cell; y++)
    for (let x = 0; x < cx * cell; x++) {
      // central differences without the ½, zero on the border rows/columns
      const gy = y > 0 && y < h - 1 ? at(y + 1, x) - at(y - 1, x) : 0;
      const gx = x > 0 && x < w - 1 ? at(y, x + 1) - at(y, x - 1) : 0;
      let deg = (Math.atan2(gy, gx) * (180 / Math.PI)) % 180;
      if (deg < 0) deg += 180;
      const bin = Math.min(o - 1, Math.floor(deg / (180 / o)));
      const i = (Math.floor(y / cell) * cx + Math.floor(x / cell)) * o + bin;
      hist[i] = Math.fround(hist[i]! + Math.hypot(gx, gy));
    }
  return hist.map((v) => v / (cell * cell));
}

/**
 * Histogram-of-oriented-gradients features of an `[h, w]` image, as skimage's `feature.hog` computes
 * them with its defaults (9 orientations over 0–180°, 3×3-cell blocks, L2-Hys block norm, no
 * √-transform) and `pixels_per_cell=(16, 16)`: gradients by central differences (zero on the border),
 * each cell's magnitudes summed per orientation bin and divided by the cell's pixel count, every block
 * L2-normalised, clipped at 0.2 and normalised again (ε = 1e-5); blocks in row-major order, each
 * `[cellRow, cellCol, orientation]`. Pixels past the last whole cell are ignored.
 */
export function hog(m: ArrayLike<number>, h: number, w: number, options: HogOptions = {}): Float64Array {
  const o = options.orientations ?? 9;
  const cell = options.pixelsPerCell ?? 16;
  const b = options.cellsPerBlock ?? 3;
  const [cy, cx] = [Math.floor(h / cell), Math.floor(w / cell)];
  if (cy < b || cx < b) throw new RangeError(`HOG needs at least ${b * cell}×${b * cell} pixels, got ${h}×${w}`);
  const hist = cellHistograms(m, h, w, o, cell);
  const [by, bx] = [cy - b + 1, cx - b + 1];
  const per = b * b * o;
  const out = new Float64Array(by * bx * per);
  const eps2 = 1e-10;
  for (let r = 0; r < by; r++)
    for (let c = 0; c < bx; c++) {
      const block = new Float64Array(per);
      for (let i = 0; i < b; i++)
        for (let j = 0; j < b; j++)
          for (let k = 0; k < o; k++) block[(i * b + j) * o + k] = hist[((r + i) * cx + c + j) * o + k]!;
      let n1 = Math.sqrt(block.reduce((s, v) => s + v * v, 0) + eps2);
      for (let i = 0; i < per; i++) block[i] = Math.min(block[i]! / n1, 0.2);
      n1 = Math.sqrt(block.reduce((s, v) => s + v * v, 0) + eps2);
      out.set(
        block.map((v) => v / n1),
        (r * bx + c) * per,
      );
    }
  return out;
}
