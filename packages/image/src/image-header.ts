import { ImageDecodeError, ImageTooLargeError } from './image-errors.js';

/** Pixels an image may have unless the caller raises the limit: 100 megapixels. */
export const DEFAULT_MAX_PIXELS = 100_000_000;

export type ImageFormat = 'png' | 'jpeg';

const u32 = (b: Uint8Array, o: number): number =>
  ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;

/** The format of image bytes from their signature (not a file name), or null. */
export function sniffImage(bytes: Uint8Array): ImageFormat | null {
  const starts = (...s: number[]) => s.every((x, i) => bytes[i] === x);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
  return null;
}

/**
 * Width and height from a PNG's IHDR chunk. With `complete`, the chunk list is walked too: a file whose
 * chunks run past its end, or that has no IEND, is refused before any decompression.
 */
export function pngSize(b: Uint8Array, complete = true): { width: number; height: number } {
  if (b.length < 33 || u32(b, 8) !== 13 || String.fromCharCode(...b.subarray(12, 16)) !== 'IHDR')
    throw new ImageDecodeError('cannot decode PNG: no valid IHDR header (truncated or not a PNG)');
  for (let o = 8; complete;) {
    if (o + 12 > b.length)
      throw new ImageDecodeError(`cannot decode PNG: the file is truncated (ends inside a chunk header at byte ${o})`);
    const len = u32(b, o);
    const type = String.fromCharCode(...b.subarray(o + 4, o + 8));
    if (o + 12 + len > b.length)
      throw new ImageDecodeError(
        `cannot decode PNG: the file is truncated (chunk '${type}' at byte ${o} runs past the end)`,
      );
    if (type === 'IEND') break;
    o += 12 + len;
  }
  return { width: u32(b, 16), height: u32(b, 20) };
}

/** Width and height from a JPEG's first start-of-frame marker, read without decoding. */
export function jpegSize(b: Uint8Array): { width: number; height: number } {
  let o = 2;
  while (o + 4 <= b.length) {
    if (b[o] !== 0xff) throw new ImageDecodeError(`cannot decode JPEG: no marker at byte ${o}`);
    const m = b[o + 1]!;
    if (m === 0xff) {
      o++;
      continue;
    }
    if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
      o += 2;
      continue;
    }
    const len = (b[o + 2]! << 8) | b[o + 3]!;
    const sof = m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
    if (sof) {
      if (o + 9 > b.length) break;
      return { height: (b[o + 5]! << 8) | b[o + 6]!, width: (b[o + 7]! << 8) | b[o + 8]! };
    }
    if (m === 0xd9 || m === 0xda) break;
    o += 2 + len;
  }
  throw new ImageDecodeError('cannot decode JPEG: truncated or corrupt (no frame header)');
}

/** Refuses an empty image or one of more than `maxPixels` pixels. */
export function checkImageSize(format: string, width: number, height: number, maxPixels = DEFAULT_MAX_PIXELS): void {
  if (width === 0 || height === 0) throw new ImageDecodeError(`${format} header says ${width}×${height}`);
  if (width * height > maxPixels) throw new ImageTooLargeError(format, width, height, maxPixels);
}

/**
 * Reads an image's size from its header and refuses it when it is empty or has more than `maxPixels`
 * pixels: a decompression bomb is stopped before any pixel is decoded. `complete: false` reads only the
 * header (for the first kilobytes of a larger blob).
 */
export function checkImageHeader(
  bytes: Uint8Array,
  format: ImageFormat,
  maxPixels = DEFAULT_MAX_PIXELS,
  complete = true,
): { width: number; height: number } {
  const s = format === 'png' ? pngSize(bytes, complete) : jpegSize(bytes);
  checkImageSize(format.toUpperCase(), s.width, s.height, maxPixels);
  return s;
}
