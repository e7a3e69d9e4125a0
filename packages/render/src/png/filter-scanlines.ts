/** PNG filter types: None, Sub, Up, Average, Paeth. */
export type PngFilter = 0 | 1 | 2 | 3 | 4;

/**
 * The filtered image data of PNG (before compression): each row is its filter-type byte followed by
 * the filtered bytes (PNG spec §9). `filter` fixes one type for all rows; 'adaptive' picks per row
 * the type with the smallest sum of absolute (signed) residuals, the spec's recommended heuristic.
 */
export function filterScanlines(
  pixels: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  bpp: number,
  filter: PngFilter | 'adaptive',
): Uint8Array {
  const stride = width * bpp;
  const out = new Uint8Array(height * (stride + 1));
  const candidate = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const row = pixels.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : undefined;
    const types: PngFilter[] = filter === 'adaptive' ? [0, 1, 2, 3, 4] : [filter];
    let best = Infinity;
    for (const type of types) {
      applyFilter(type, row, prev, bpp, candidate);
      const cost = types.length === 1 ? 0 : score(candidate);
      if (cost < best) {
        best = cost;
        out[y * (stride + 1)] = type;
        out.set(candidate, y * (stride + 1) + 1);
      }
    }
  }
  return out;
}

function applyFilter(
  type: PngFilter,
  row: ArrayLike<number>,
  prev: ArrayLike<number> | undefined,
  bpp: number,
  out: Uint8Array,
): void {
  for (let i = 0; i < row.length; i++) {
    const x = row[i]!;
    const a = i >= bpp ? row[i - bpp]! : 0;
    const b = prev ? prev[i]! : 0;
    const c = prev && i >= bpp ? prev[i - bpp]! : 0;
    switch (type) {
      case 0:
        out[i] = x;
        break;
      case 1:
        out[i] = x - a;
        break;
      case 2:
        out[i] = x - b;
        break;
      case 3:
        out[i] = x - ((a + b) >> 1);
        break;
      case 4:
        out[i] = x - paeth(a, b, c);
        break;
    }
  }
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a),
    pb = Math.abs(p - b),
    pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

function score(bytes: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < bytes.length; i++) s += bytes[i]! < 128 ? bytes[i]! : 256 - bytes[i]!;
  return s;
}
