import { describe, expect, it } from 'vitest';
import { ImageDecodeError, ImageTooLargeError, loadImage } from '../src/index.js';
import { headerOnlyPng, knownPixels } from './fixtures.js';

// The known pixels as a PNG, encoded by the browser's own canvas encoder.
async function knownPngBlob(): Promise<Blob> {
  const { data, width, height } = knownPixels();
  const c = new OffscreenCanvas(width, height);
  c.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(data), width, height), 0, 0);
  return c.convertToBlob({ type: 'image/png' });
}

/** Opaque pixels survive every path exactly (alpha < 255 is premultiplied by canvases: compared apart). */
function expectKnown(img: { data: ArrayLike<number>; width: number; height: number }, alphaExact: boolean) {
  const { data, width, height } = knownPixels();
  expect([img.width, img.height]).toEqual([width, height]);
  for (let i = 0; i < data.length; i += 4) {
    expect(img.data[i + 3]).toBe(data[i + 3]);
    const tol = alphaExact ? 0 : 1; // a premultiplied round trip can move a channel by one level
    for (let k = 0; k < 3; k++) expect(Math.abs(img.data[i + k]! - data[i + k]!)).toBeLessThanOrEqual(tol);
  }
}

describe('loadImage (browser)', () => {
  it('a Blob/File, bytes and an ArrayBuffer: the pixels as the file says', async () => {
    const blob = await knownPngBlob();
    const bytes = new Uint8Array(await blob.arrayBuffer());
    for (const source of [blob, new File([blob], 'known.png'), bytes, bytes.slice().buffer])
      expectKnown(await loadImage(source), false);
  });

  it('an <img>, an ImageBitmap, a canvas, an OffscreenCanvas and ImageData', async () => {
    const blob = await knownPngBlob();
    const img = new Image();
    img.src = URL.createObjectURL(blob);
    expectKnown(await loadImage(img), false);
    URL.revokeObjectURL(img.src);
    const bitmap = await createImageBitmap(blob, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
    expectKnown(await loadImage(bitmap), false);
    const { data, width, height } = knownPixels();
    const imageData = new ImageData(new Uint8ClampedArray(data), width, height);
    expectKnown(await loadImage(imageData), true);
    const canvas = Object.assign(document.createElement('canvas'), { width, height });
    canvas.getContext('2d')!.putImageData(imageData, 0, 0);
    expectKnown(await loadImage(canvas), false);
    const off = new OffscreenCanvas(width, height);
    off.getContext('2d')!.putImageData(imageData, 0, 0);
    expectKnown(await loadImage(off), false);
  });

  it('refuses a PNG bomb from its header, and what the browser cannot decode, with typed errors', async () => {
    await expect(loadImage(new Blob([headerOnlyPng(30000, 30000) as BlobPart]))).rejects.toThrow(ImageTooLargeError);
    await expect(loadImage(await knownPngBlob(), { maxPixels: 10 })).rejects.toThrow(/5×3 = 15 pixels/);
    await expect(loadImage(new Blob(['not an image']))).rejects.toThrow(ImageDecodeError);
    const broken = new Image();
    broken.src = 'data:image/png;base64,AAAA';
    await expect(loadImage(broken)).rejects.toThrow(/the <img> did not load/);
  });
});
