import { RenderError } from './render-error.js';
import type { Color, Image, RgbaImage } from './types.js';

/** A `width`×`height` RGBA image filled with `background` (default opaque black). */
export function createImage(width: number, height: number, background: Color = [0, 0, 0, 255]): RgbaImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new RenderError('bad-input', `image size must be non-negative integers, got ${width}×${height}`);
  }
  const data = new Uint8ClampedArray(width * height * 4);
  const [r, g, b, a = 255] = background;
  for (let i = 0; i < data.length; i += 4) {
    data[i] = r;
    data[i + 1] = g;
    data[i + 2] = b;
    data[i + 3] = a;
  }
  return { data, width, height, channels: 4 };
}

/** Channels per pixel of `image`, after checking that its data fills width × height. */
export function channelsOf(image: Image, what = 'image'): 3 | 4 {
  const c = image.channels ?? 4;
  if (c !== 3 && c !== 4) throw new RenderError('bad-input', `${what} must have 3 or 4 channels, got ${String(c)}`);
  if (image.data.length !== image.width * image.height * c) {
    throw new RenderError(
      'bad-input-shape',
      `${what} data has ${image.data.length} bytes, expected ${image.width}×${image.height}×${c} = ${image.width * image.height * c}`,
    );
  }
  return c;
}

/** `image` as RGBA (a copy; RGB input gets alpha 255). */
export function toRgba(image: Image): RgbaImage {
  const c = channelsOf(image);
  const n = image.width * image.height;
  const data = new Uint8ClampedArray(n * 4);
  if (c === 4) data.set(image.data);
  else {
    for (let i = 0; i < n; i++) {
      data[i * 4] = image.data[i * 3]!;
      data[i * 4 + 1] = image.data[i * 3 + 1]!;
      data[i * 4 + 2] = image.data[i * 3 + 2]!;
      data[i * 4 + 3] = 255;
    }
  }
  return { data, width: image.width, height: image.height, channels: 4 };
}

/**
 * Draws `src` onto `dst` with its top-left corner at (x, y); pixels outside `dst` are clipped.
 * Opaque source pixels are copied; a source alpha a < 255 blends colour as
 * `(src·a + dst·(255 − a)) / 255` and alpha as `a + dst_a·(255 − a) / 255`, rounded to the nearest
 * level (exact "source over" when `dst` is opaque). Mutates and returns `dst`.
 */
export function blit(dst: RgbaImage, src: Image, x: number, y: number): RgbaImage {
  const c = channelsOf(src, 'source image');
  const x0 = Math.max(0, x),
    y0 = Math.max(0, y);
  const x1 = Math.min(dst.width, x + src.width),
    y1 = Math.min(dst.height, y + src.height);
  for (let py = y0; py < y1; py++) {
    for (let px = x0; px < x1; px++) {
      const s = ((py - y) * src.width + (px - x)) * c;
      const d = (py * dst.width + px) * 4;
      const a = c === 4 ? src.data[s + 3]! : 255;
      if (a === 255) {
        dst.data[d] = src.data[s]!;
        dst.data[d + 1] = src.data[s + 1]!;
        dst.data[d + 2] = src.data[s + 2]!;
        dst.data[d + 3] = 255;
      } else if (a > 0) {
        const da = dst.data[d + 3]!;
        for (let k = 0; k < 3; k++) dst.data[d + k] = (src.data[s + k]! * a + dst.data[d + k]! * (255 - a)) / 255;
        dst.data[d + 3] = a + (da * (255 - a)) / 255;
      }
    }
  }
  return dst;
}
