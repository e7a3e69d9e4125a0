import type { Pixels } from '../protocol.js';
import { imageSize } from './image-size.js';

/** Largest image the page decodes (megapixels); bigger ones are refused with a message. */
export const MAX_MEGAPIXELS = 40;

function checkSize(width: number, height: number): void {
  const mp = (width * height) / 1e6;
  if (mp > MAX_MEGAPIXELS)
    throw new Error(
      `the image is ${width}×${height} (${mp.toFixed(0)} megapixels); the playground takes images up to ${MAX_MEGAPIXELS} megapixels`,
    );
}

/**
 * Decodes an image blob to RGBA pixels as the file says (no colour-space conversion, no
 * premultiplication). The size is checked from the header first; nothing is fetched (no object URL).
 */
export async function readImage(blob: Blob): Promise<Pixels> {
  const size = imageSize(new Uint8Array(await blob.slice(0, 64 * 1024).arrayBuffer()));
  if (size) checkSize(size.width, size.height);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch {
    throw new Error('this file is not an image the browser can decode (PNG, JPEG, WebP, GIF, BMP, …)');
  }
  const { width, height } = bitmap;
  try {
    checkSize(width, height);
    const ctx = new OffscreenCanvas(width, height).getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    return { data: ctx.getImageData(0, 0, width, height).data, width, height };
  } finally {
    bitmap.close();
  }
}
