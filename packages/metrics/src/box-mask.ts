import { BadInputError, type Tensor } from '@gradscope/core';

/** A box `[xmin, ymin, xmax, ymax]` in pixel coordinates (x right, y down; pixel (x, y) spans [x, x + 1)). */
export type Box = readonly [number, number, number, number];

/**
 * A ground-truth mask `[h, w]` from boxes, for the localisation metrics: 1 where a pixel's centre
 * `(x + ½, y + ½)` lies in some box (edges included), else 0. Integer boxes are half-open: `[2, 1, 5, 3]`
 * covers x = 2…4, y = 1…2.
 */
export function boxMask(h: number, w: number, boxes: readonly Box[]): Tensor {
  const data = new Float32Array(h * w);
  for (const b of boxes) {
    const [x0, y0, x1, y1] = b;
    if (!b.every(Number.isFinite) || x1 < x0 || y1 < y0)
      throw new BadInputError(`a box is [xmin, ymin, xmax, ymax] with xmin ≤ xmax, ymin ≤ ymax; got [${b.join(', ')}]`);
    for (let y = Math.max(0, Math.ceil(y0 - 0.5)); y < h && y + 0.5 <= y1; y++)
      for (let x = Math.max(0, Math.ceil(x0 - 0.5)); x < w && x + 0.5 <= x1; x++) data[y * w + x] = 1;
  }
  return { data, shape: [h, w] };
}
