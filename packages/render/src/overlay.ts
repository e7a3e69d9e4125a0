import { colormapLut, type Colormap } from './colormaps/colormap.js';
import { channelsOf } from './image.js';
import { levelOf, mapPlane } from './map-plane.js';
import { RenderError } from './render-error.js';
import type { FloatMap, Image, RgbaImage } from './types.js';

export interface OverlayOptions {
  /** Default 'jet' (OpenCV's, as pytorch-grad-cam). */
  readonly colormap?: Colormap;
  /** Weight w of the image in [0, 1]; default 0.5. */
  readonly imageWeight?: number;
}

/**
 * Blends a colour-mapped map over an image exactly as pytorch-grad-cam's
 * `show_cam_on_image(img / 255, map, use_rgb=True)`:
 * `heat = lut[uint8(255·map)] / 255`, `out = (1 − w)·heat + w·img/255`, `out /= max(out)`,
 * `pixel = uint8(255·out)`. Every step is evaluated in float32 and the final conversion truncates,
 * as numpy does, so the result equals the Python one byte for byte. Note the global `/ max`:
 * the brightest channel of the whole overlay becomes 255.
 *
 * `image` is 8-bit RGB(A) (alpha ignored); `map` is `[H, W]` in [0, 1] at the image's size (resize
 * it first, e.g. with core's `resizeBilinear`). Returns an opaque RGBA image.
 *
 * @example overlay(pixels, explanation.map, { colormap: 'jet', imageWeight: 0.5 })
 */
export function overlay(image: Image, map: FloatMap, options: OverlayOptions = {}): RgbaImage {
  const f = Math.fround;
  const w = options.imageWeight ?? 0.5;
  if (!(w >= 0 && w <= 1)) throw new RenderError('bad-option', `imageWeight must be in [0, 1], got ${w}`);
  const c = channelsOf(image);
  const { data: m, height, width } = mapPlane(map);
  if (height !== image.height || width !== image.width) {
    throw new RenderError(
      'bad-input-shape',
      `map is ${width}×${height} but the image is ${image.width}×${image.height}; resize the map first`,
    );
  }
  const lut = colormapLut(options.colormap ?? 'jet');
  const wHeat = f(1 - w),
    wImg = f(w);
  const n = width * height;
  const blend = new Float32Array(n * 3);
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const k = levelOf(m[i]!) * 3;
    for (let ch = 0; ch < 3; ch++) {
      const heat = f(lut[k + ch]! / 255);
      const img = f(image.data[i * c + ch]! / 255);
      const v = f(f(wHeat * heat) + f(wImg * img));
      blend[i * 3 + ch] = v;
      if (v > max) max = v;
    }
  }
  const data = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < 3; ch++) data[i * 4 + ch] = Math.trunc(f(255 * f(blend[i * 3 + ch]! / max)));
    data[i * 4 + 3] = 255;
  }
  return { data, width, height, channels: 4 };
}
