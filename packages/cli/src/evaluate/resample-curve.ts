/** Points a curve is kept at in curves.jsonl: x = 0, 0.05, …, 1. */
export const CURVE_POINTS = 21;

/**
 * A curve over x in [0, 1] (deletion/insertion: fraction of pixels changed → score) resampled by
 * linear interpolation onto `points` evenly spaced x, so every record stores a short curve of the
 * same shape whatever the metric's step was (the metric's AUC is computed on its own full curve).
 */
export function resampleCurve(
  c: { readonly x: readonly number[]; readonly y: readonly number[] },
  points = CURVE_POINTS,
): { x: number[]; y: number[] } {
  const x = Array.from({ length: points }, (_, i) => i / (points - 1));
  let j = 0;
  const y = x.map((t) => {
    if (c.x.length === 1) return c.y[0]!;
    while (j < c.x.length - 2 && c.x[j + 1]! < t) j++;
    const [x0, x1, y0, y1] = [c.x[j]!, c.x[j + 1]!, c.y[j]!, c.y[j + 1]!];
    const f = x1 === x0 ? 0 : Math.min(1, Math.max(0, (t - x0) / (x1 - x0)));
    return y0 + (y1 - y0) * f;
  });
  return { x, y };
}
