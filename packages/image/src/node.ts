/**
 * Node entry: decodes PNG and JPEG files or bytes with pure-JS decoders (pngjs, jpeg-js); no native code.
 *
 * @module @gradscope/image/node
 */
import { readFile } from 'node:fs/promises';
import type { ImagePixels } from '@gradscope/core';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { ImageDecodeError } from './image-errors.js';
import { checkImageHeader, DEFAULT_MAX_PIXELS, sniffImage, type ImageFormat } from './image-header.js';

export * from './index.js';

export interface DecodeOptions {
  /** Refuse images of more pixels than this, from the header, before decoding (default 100 megapixels). */
  readonly maxPixels?: number;
}

/**
 * Decodes PNG or JPEG bytes to 8-bit RGBA pixels (`channels: 4`), the format told by the bytes' signature
 * unless `format` is given. The header is read first: truncated files and images of more than
 * `maxPixels` pixels are refused before decompression. Throws `ImageDecodeError` / `ImageTooLargeError`.
 */
export function decodeImage(bytes: Uint8Array, options: DecodeOptions & { format?: ImageFormat } = {}): ImagePixels {
  const format = options.format ?? sniffImage(bytes);
  if (!format) throw new ImageDecodeError('not a PNG or JPEG image (its first bytes are neither signature)');
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  checkImageHeader(bytes, format, maxPixels);
  try {
    if (format === 'png') {
      const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return {
        data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength),
        width: png.width,
        height: png.height,
        channels: 4,
      };
    }
    const img = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: Math.max(1, maxPixels / 1e6),
    });
    return { data: img.data, width: img.width, height: img.height, channels: 4 };
  } catch (e) {
    const msg = (e as Error).message?.split('\n', 1)[0] ?? String(e);
    throw new ImageDecodeError(`cannot decode ${format.toUpperCase()}: ${msg}`, { cause: e });
  }
}

/**
 * Loads a PNG or JPEG image in Node: a file path (or `file:` URL) or its bytes. Returns RGBA pixels for
 * `imageToTensor` from `@gradscope/core`.
 *
 * ```ts
 * const pixels = await loadImage('cat.jpg');
 * const x = imageToTensor(pixels, model.input, model.input.normalization);
 * ```
 */
export async function loadImage(
  source: string | URL | Uint8Array | ArrayBuffer,
  options: DecodeOptions = {},
): Promise<ImagePixels> {
  const bytes =
    source instanceof Uint8Array
      ? source
      : source instanceof ArrayBuffer
        ? new Uint8Array(source)
        : new Uint8Array(await readFile(source));
  return decodeImage(bytes, options);
}
