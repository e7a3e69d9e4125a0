/** Every shape the generator can draw. */
export const SHAPE_CLASSES = ['circle', 'square', 'triangle', 'star', 'cross', 'ring', 'heart'] as const;
export type ShapeName = (typeof SHAPE_CLASSES)[number];

/** Crossing-number point-in-polygon test; `poly` is a flat [x0, y0, x1, y1, …] list. */
function inPolygon(poly: readonly number[], u: number, v: number): boolean {
  let inside = false;
  const n = poly.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = poly[2 * i]!,
      yi = poly[2 * i + 1]!,
      xj = poly[2 * j]!,
      yj = poly[2 * j + 1]!;
    if (yi > v !== yj > v && u < ((xj - xi) * (v - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Vertices of a regular star (`inner` > 0) or polygon (`inner` = 0), radius 1, a vertex pointing up. */
function starPolygon(points: number, inner: number): number[] {
  const out: number[] = [];
  const steps = inner > 0 ? 2 * points : points;
  for (let k = 0; k < steps; k++) {
    const r = inner > 0 && k % 2 === 1 ? inner : 1;
    const a = -Math.PI / 2 + (2 * Math.PI * k) / steps;
    out.push(r * Math.cos(a), r * Math.sin(a));
  }
  return out;
}

const TRIANGLE = starPolygon(3, 0);
const STAR = starPolygon(5, 0.5);

/**
 * Inside tests in the shape's own frame: `(u, v)` with the shape centred at the origin, scaled so
 * that it fits in the unit disc, `v` pointing down (image rows). Every shape touches radius ≈ 1.
 */
export const INSIDE: Readonly<Record<ShapeName, (u: number, v: number) => boolean>> = {
  circle: (u, v) => u * u + v * v <= 1,
  square: (u, v) => Math.abs(u) <= 0.7 && Math.abs(v) <= 0.7,
  triangle: (u, v) => inPolygon(TRIANGLE, u, v),
  star: (u, v) => inPolygon(STAR, u, v),
  cross: (u, v) => (Math.abs(u) <= 0.3 && Math.abs(v) <= 0.95) || (Math.abs(v) <= 0.3 && Math.abs(u) <= 0.95),
  ring: (u, v) => {
    const r2 = u * u + v * v;
    return r2 <= 1 && r2 >= 0.5 * 0.5;
  },
  heart: (u, v) => {
    // (x² + y² − 1)³ − x²y³ ≤ 0, y pointing up, scaled into the unit disc.
    const x = u * 1.3,
      y = -v * 1.3 + 0.1;
    const q = x * x + y * y - 1;
    return q * q * q - x * x * y * y * y <= 0;
  },
};
