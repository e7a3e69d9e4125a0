import { RenderError } from '../render-error.js';
import type { Image } from '../types.js';
import { toImageData, type ImageDataLike } from './to-image-data.js';

/** What `drawToCanvas` needs of a canvas: an `HTMLCanvasElement`, an `OffscreenCanvas` or a look-alike. */
export interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): { putImageData(data: ImageData, dx: number, dy: number): void } | null;
}

/**
 * Resizes `canvas` to the image and draws the image's pixels into it (1:1, no smoothing, replacing
 * what was there, alpha included). Throws when the canvas has no 2-D context.
 */
export function drawToCanvas(canvas: CanvasLike, image: Image): void {
  canvas.width = image.width;
  canvas.height = image.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new RenderError('bad-input', 'the canvas has no 2d context (is it already used for WebGL?)');
  ctx.putImageData(toImageData(image) as ImageData & ImageDataLike, 0, 0);
}
