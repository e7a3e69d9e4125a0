import type { Pixels } from '../protocol.js';

/** Largest image the page decodes (megapixels); bigger ones are refused with a message. */
export const MAX_MEGAPIXELS = 40;

/** Image dimensions from the header (no full decode), so a huge image is refused before decoding it. */
async function measure(url: string): Promise<{ width: number; height: number }> {
  const img = new Image();
  img.src = url;
  await new Promise<void>((ok, fail) => {
    img.onload = () => ok();
    img.onerror = () => fail(new Error('this file is not an image the browser can decode (PNG, JPEG, WebP, GIF, …)'));
  });
  return { width: img.naturalWidth, height: img.naturalHeight };
}

/** Decodes an image blob to RGBA pixels, as the file says (no colour-space conversion). */
export async function readImage(blob: Blob): Promise<Pixels> {
  const url = URL.createObjectURL(blob);
  try {
    const { width, height } = await measure(url);
    const mp = (width * height) / 1e6;
    if (mp > MAX_MEGAPIXELS)
      throw new Error(
        `the image is ${width}×${height} (${mp.toFixed(0)} megapixels); the playground takes images up to ${MAX_MEGAPIXELS} megapixels`,
      );
    const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    bitmap.close();
    const data = ctx.getImageData(0, 0, width, height).data;
    return { data, width, height };
  } finally {
    URL.revokeObjectURL(url);
  }
}
