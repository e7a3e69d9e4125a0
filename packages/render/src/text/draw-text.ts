import { RenderError } from '../render-error.js';
import type { Color, RgbaImage } from '../types.js';
import { FONT, glyph } from './font.js';

export interface TextOptions {
  /** Ink colour; default opaque black. */
  readonly color?: Color;
  /** Integer magnification: each font pixel becomes a scale×scale block; default 1. */
  readonly scale?: number;
}

/** Width and height in pixels of `text` drawn on one line at `scale` (`6·n − 1` by 8, times scale). */
export function measureText(text: string, scale = 1): { width: number; height: number } {
  const n = [...text].length;
  return { width: n === 0 ? 0 : (n * FONT.advance - 1) * scale, height: FONT.glyphHeight * scale };
}

/**
 * Draws one line of `text` in the built-in 5×8 font with its top-left corner at (x, y), clipping to
 * the image. Characters outside printable ASCII are drawn as '?'. Mutates and returns `image`.
 */
export function drawText(image: RgbaImage, text: string, x: number, y: number, options: TextOptions = {}): RgbaImage {
  const scale = options.scale ?? 1;
  if (!Number.isInteger(scale) || scale < 1)
    throw new RenderError('bad-option', `text scale must be a positive integer, got ${scale}`);
  const [r, g, b, a = 255] = options.color ?? [0, 0, 0, 255];
  let cx = x;
  for (const ch of text) {
    const bits = glyph(ch) ?? glyph('?')!;
    for (let gy = 0; gy < FONT.glyphHeight; gy++) {
      for (let gx = 0; gx < FONT.glyphWidth; gx++) {
        if (!bits[gy * FONT.glyphWidth + gx]) continue;
        for (let sy = 0; sy < scale; sy++) {
          const py = y + gy * scale + sy;
          if (py < 0 || py >= image.height) continue;
          for (let sx = 0; sx < scale; sx++) {
            const px = cx + gx * scale + sx;
            if (px < 0 || px >= image.width) continue;
            const d = (py * image.width + px) * 4;
            image.data[d] = r;
            image.data[d + 1] = g;
            image.data[d + 2] = b;
            image.data[d + 3] = a;
          }
        }
      }
    }
    cx += FONT.advance * scale;
  }
  return image;
}
