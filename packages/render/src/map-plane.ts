import { RenderError } from './render-error.js';
import type { FloatMap } from './types.js';

/** A 2-D view of a map whose shape is `[H, W]` with any number of leading 1s (e.g. `[1, 1, H, W]`). */
export function mapPlane(map: FloatMap, what = 'map'): { data: Float32Array; height: number; width: number } {
  const s = map.shape;
  if (s.length < 2 || s.slice(0, -2).some((d) => d !== 1)) {
    throw new RenderError(
      'bad-input-shape',
      `${what} has shape [${s.join(', ')}], expected [H, W] (leading 1s allowed)`,
    );
  }
  const height = s[s.length - 2]!,
    width = s[s.length - 1]!;
  if (map.data.length !== height * width) {
    throw new RenderError('bad-input-shape', `${what} has ${map.data.length} values for shape [${s.join(', ')}]`);
  }
  return { data: map.data, height, width };
}

/**
 * The colormap level of a map value: `uint8(255 · v)` as numpy computes it for a float32 map (the
 * product in float32, then truncation toward zero), clamped to 0..255 (NaN → 0) where numpy would wrap.
 */
export function levelOf(v: number): number {
  const x = Math.fround(255 * Math.fround(v));
  return x >= 255 ? 255 : x > 0 ? Math.trunc(x) : 0;
}
