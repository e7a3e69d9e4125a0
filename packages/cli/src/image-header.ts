import { CliError } from './cli-error.js';

/** Pixels an input image may have unless `--max-pixels` raises it: 100 megapixels. */
export const DEFAULT_MAX_PIXELS = 100_000_000;

const u32 = (b: Uint8Array, o: number): number =>
  ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;

/**
 * Width and height from a PNG's IHDR chunk, after walking the chunk list: a file whose chunks run
 * past its end, or that has no IHDR first or no IEND, is refused before any decompression.
 */
export function pngSize(b: Uint8Array): { width: number; height: number } {
  if (b.length < 33 || u32(b, 8) !== 13 || String.fromCharCode(...b.subarray(12, 16)) !== 'IHDR')
    throw new CliError('cannot decode PNG: no valid IHDR header (truncated or not a PNG)');
  let o = 8;
  for (;;) {
    if (o + 12 > b.length)
      throw new CliError(`cannot decode PNG: the file is truncated (ends inside a chunk header at byte ${o})`);
    const len = u32(b, o);
    const type = String.fromCharCode(...b.subarray(o + 4, o + 8));
    if (o + 12 + len > b.length)
      throw new CliError(`cannot decode PNG: the file is truncated (chunk '${type}' at byte ${o} runs past the end)`);
    if (type === 'IEND') break;
    o += 12 + len;
  }
  return { width: u32(b, 16), height: u32(b, 20) };
}

/** Width and height from a JPEG's first start-of-frame marker, read without decoding. */
export function jpegSize(b: Uint8Array): { width: number; height: number } {
  let o = 2;
  while (o + 4 <= b.length) {
    if (b[o] !== 0xff) throw new CliError(`cannot decode JPEG: no marker at byte ${o}`);
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
  throw new CliError('cannot decode JPEG: truncated or corrupt (no frame header)');
}

/**
 * Reads an image's size from its header and refuses it when it is empty or has more than
 * `maxPixels` pixels: a decompression bomb is stopped before any pixel is decoded.
 */
export function checkImageHeader(
  bytes: Uint8Array,
  kind: 'png' | 'jpeg',
  maxPixels = DEFAULT_MAX_PIXELS,
): { width: number; height: number } {
  const s = kind === 'png' ? pngSize(bytes) : jpegSize(bytes);
  if (s.width === 0 || s.height === 0) throw new CliError(`${kind.toUpperCase()} header says ${s.width}×${s.height}`);
  if (s.width * s.height > maxPixels)
    throw new CliError(
      `${kind.toUpperCase()} header says ${s.width}×${s.height} = ${s.width * s.height} pixels, more than the limit of ${maxPixels} (raise it with --max-pixels)`,
    );
  return s;
}
