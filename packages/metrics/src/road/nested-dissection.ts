/**
 * A fill-reducing elimination order of pixels `p = y·W + x` of an H×W grid with 8-neighbour coupling
 * (George's nested dissection): split the bounding box across its longer side; one full row (or
 * column) separates the halves; order each half recursively, then the separator. Boxes of at most
 * `leaf` pixels keep raster order. Returns the pixels of `pixels` in elimination order.
 */
export function nestedDissection(pixels: readonly number[], W: number, leaf = 64): number[] {
  const order: number[] = [];
  const visit = (ps: readonly number[], y0: number, y1: number, x0: number, x1: number): void => {
    if (ps.length <= leaf || (y1 - y0 <= 2 && x1 - x0 <= 2)) {
      order.push(...ps);
      return;
    }
    const rowsSplit = y1 - y0 >= x1 - x0;
    const mid = rowsSplit ? (y0 + y1) >> 1 : (x0 + x1) >> 1;
    const lo: number[] = [];
    const hi: number[] = [];
    const sep: number[] = [];
    for (const p of ps) {
      const v = rowsSplit ? Math.floor(p / W) : p % W;
      (v < mid ? lo : v > mid ? hi : sep).push(p);
    }
    if (rowsSplit) {
      visit(lo, y0, mid, x0, x1);
      visit(hi, mid + 1, y1, x0, x1);
    } else {
      visit(lo, y0, y1, x0, mid);
      visit(hi, y0, y1, mid + 1, x1);
    }
    order.push(...sep);
  };
  let [y0, y1, x0, x1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const p of pixels) {
    const [y, x] = [Math.floor(p / W), p % W];
    [y0, y1, x0, x1] = [Math.min(y0, y), Math.max(y1, y + 1), Math.min(x0, x), Math.max(x1, x + 1)];
  }
  visit(pixels, y0, y1, x0, x1);
  return order;
}
