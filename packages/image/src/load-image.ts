import type { ImagePixels } from '@gradscope/core';
import { ImageDecodeError } from './image-errors.js';
import { checkImageHeader, checkImageSize, DEFAULT_MAX_PIXELS, sniffImage } from './image-header.js';

/** What a browser can hand over as an image. */
export type BrowserImageSource =
  Blob | HTMLImageElement | ImageBitmap | HTMLCanvasElement | OffscreenCanvas | ImageData | Uint8Array | ArrayBuffer;

export interface LoadImageOptions {
  /** Refuse images of more pixels than this, before decoding where the format allows (default 100 megapixels). */
  readonly maxPixels?: number;
}

const has = (name: string) => typeof (globalThis as Record<string, unknown>)[name] === 'function';

/** RGBA pixels of a drawable, exactly as drawn (a canvas of its own size, no smoothing). */
function draw(source: CanvasImageSource, width: number, height: number): ImagePixels {
  const canvas: OffscreenCanvas | HTMLCanvasElement = has('OffscreenCanvas')
    ? new OffscreenCanvas(width, height)
    : Object.assign(document.createElement('canvas'), { width, height });
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!ctx) throw new ImageDecodeError('cannot read the image: no 2D canvas in this browser');
  ctx.drawImage(source, 0, 0);
  try {
    return { data: ctx.getImageData(0, 0, width, height).data, width, height, channels: 4 };
  } catch (e) {
    // a cross-origin image without CORS taints the canvas
    throw new ImageDecodeError(`cannot read the image's pixels: ${(e as Error).message}`, { cause: e });
  }
}

async function fromBlob(blob: Blob, maxPixels: number): Promise<ImagePixels> {
  const head = new Uint8Array(await blob.slice(0, 64 * 1024).arrayBuffer());
  const format = sniffImage(head);
  if (format) checkImageHeader(head, format, maxPixels, false);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch (e) {
    throw new ImageDecodeError('not an image this browser can decode (PNG, JPEG, WebP, GIF, BMP, …)', { cause: e });
  }
  try {
    checkImageSize('image', bitmap.width, bitmap.height, maxPixels);
    return draw(bitmap, bitmap.width, bitmap.height);
  } finally {
    bitmap.close();
  }
}

/**
 * Loads an image in a browser (or a worker): a `File` or `Blob`, an `<img>`, an `ImageBitmap`, a canvas,
 * `ImageData`, or encoded bytes. Returns RGBA pixels as the file says (no colour-space conversion, no
 * premultiplied alpha) for `imageToTensor` from `@gradscope/core`. A PNG's or JPEG's size is read from
 * its header before it is decoded; every source is refused above `maxPixels`. In Node, import
 * `loadImage` from `@gradscope/image/node` (file paths and bytes).
 */
export async function loadImage(source: BrowserImageSource, options: LoadImageOptions = {}): Promise<ImagePixels> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (source instanceof Uint8Array || source instanceof ArrayBuffer)
    return fromBlob(new Blob([source as BlobPart]), maxPixels);
  if (has('Blob') && source instanceof Blob) return fromBlob(source, maxPixels);
  if (has('ImageData') && source instanceof ImageData) {
    checkImageSize('image', source.width, source.height, maxPixels);
    return { data: source.data, width: source.width, height: source.height, channels: 4 };
  }
  if (has('HTMLImageElement') && source instanceof HTMLImageElement) {
    if (!source.complete || source.naturalWidth === 0)
      await source.decode().catch((e: unknown) => {
        throw new ImageDecodeError(`the <img> did not load (${source.currentSrc || source.src})`, { cause: e });
      });
    checkImageSize('image', source.naturalWidth, source.naturalHeight, maxPixels);
    return draw(source, source.naturalWidth, source.naturalHeight);
  }
  const { width, height } = source as ImageBitmap | HTMLCanvasElement | OffscreenCanvas;
  checkImageSize('image', width, height, maxPixels);
  return draw(source as CanvasImageSource, width, height);
}
