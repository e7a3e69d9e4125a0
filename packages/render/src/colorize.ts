import { colormapLut, type Colormap } from './colormaps/colormap.js';
import { levelOf, mapPlane } from './map-plane.js';
import type { FloatMap, RgbaImage } from './types.js';

/**
 * Colours a map in [0, 1] with a colormap: pixel = lut[uint8(255 · v)], as OpenCV's `applyColorMap`
 * does on pytorch-grad-cam's `np.uint8(255 * mask)` (truncation; values outside [0, 1] clamp).
 * `map` is `[H, W]` (leading 1s allowed); the result is an opaque `W`×`H` RGBA image.
 *
 * @example colorize(explanation.map, 'turbo')
 */
export function colorize(map: FloatMap, colormap: Colormap = 'jet'): RgbaImage {
  const { data: m, height, width } = mapPlane(map);
  const lut = colormapLut(colormap);
  const data = new Uint8ClampedArray(height * width * 4);
  for (let i = 0; i < m.length; i++) {
    const k = levelOf(m[i]!) * 3;
    data[i * 4] = lut[k]!;
    data[i * 4 + 1] = lut[k + 1]!;
    data[i * 4 + 2] = lut[k + 2]!;
    data[i * 4 + 3] = 255;
  }
  return { data, width, height, channels: 4 };
}
