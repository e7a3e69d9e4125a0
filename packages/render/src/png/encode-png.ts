import { deflateSync } from 'node:zlib';
import { channelsOf } from '../image.js';
import { RenderError } from '../render-error.js';
import type { Image } from '../types.js';
import { crc32 } from './crc32.js';
import { filterScanlines, type PngFilter } from './filter-scanlines.js';

export interface PngOptions {
  /** Row filter: 'adaptive' (default) or a fixed PNG filter type 0–4. */
  readonly filter?: PngFilter | 'adaptive';
  /** zlib compression level 0–9; default 6. */
  readonly level?: number;
}

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/**
 * Encodes an 8-bit RGBA (colour type 6) or RGB (colour type 2, for `channels: 3`) image as PNG:
 * signature, IHDR, one zlib-deflated IDAT of the filtered rows, IEND, each chunk with its CRC-32.
 * Non-interlaced. Node only (uses node:zlib).
 */
export function encodePng(image: Image, options: PngOptions = {}): Uint8Array {
  const c = channelsOf(image);
  const { width, height } = image;
  if (width < 1 || height < 1 || width > 0x7fffffff || height > 0x7fffffff) {
    throw new RenderError('bad-input', `PNG needs a size between 1×1 and 2³¹−1, got ${width}×${height}`);
  }
  const filter = options.filter ?? 'adaptive';
  if (filter !== 'adaptive' && ![0, 1, 2, 3, 4].includes(filter))
    throw new RenderError('bad-option', `unknown PNG filter ${String(filter)}`);
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([8, c === 4 ? 6 : 2, 0, 0, 0], 8); // bit depth, colour type, compression, filter method, interlace
  const raw = filterScanlines(image.data, width, height, c, filter);
  const idat = deflateSync(raw, { level: options.level ?? 6 });
  const chunks = [chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(SIGNATURE.length + chunks.reduce((n, ch) => n + ch.length, 0));
  out.set(SIGNATURE, 0);
  let at = SIGNATURE.length;
  for (const ch of chunks) {
    out.set(ch, at);
    at += ch.length;
  }
  return out;
}

/** length (4 bytes), type (4 ASCII bytes), data, CRC-32 of type + data. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}
