import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isGradscopeError } from '@gradscope/core';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { decodeImage, ImageDecodeError, ImageTooLargeError, loadImage, sniffImage } from '../src/node.js';
import { encodePng } from '@gradscope/render/node';
import { headerOnlyPng, knownPixels } from './fixtures.js';

/** The known image as a PNG (render's own encoder, not the decoder under test). */
const knownPng = (): Uint8Array => encodePng({ ...knownPixels(), channels: 4 });

describe('loadImage (Node)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gradscope-image-'));
  const file = join(dir, 'known.png');
  writeFileSync(file, knownPng());

  it('decodes a PNG to exactly the pixels that were encoded, from a path, a file: URL, bytes or an ArrayBuffer', async () => {
    const { data, width, height } = knownPixels();
    const bytes = knownPng();
    for (const source of [file, pathToFileURL(file), bytes, bytes.slice().buffer]) {
      const img = await loadImage(source);
      expect([img.width, img.height, img.channels]).toEqual([width, height, 4]);
      expect(Array.from(img.data)).toEqual(Array.from(data));
    }
  });

  it('decodes a JPEG within JPEG error of what was encoded (quality 100, a smooth image)', async () => {
    const [w, h] = [16, 8];
    const rgba = new Uint8Array(w * h * 4);
    for (let i = 0; i < w * h; i++) rgba.set([8 * (i % w), 16 * Math.floor(i / w), 128, 255], 4 * i);
    const bytes = new Uint8Array(jpeg.encode({ data: rgba, width: w, height: h }, 100).data);
    expect(sniffImage(bytes)).toBe('jpeg');
    const img = await loadImage(bytes);
    expect([img.width, img.height]).toEqual([w, h]);
    let worst = 0;
    for (let i = 0; i < rgba.length; i++) if (i % 4 !== 3) worst = Math.max(worst, Math.abs(img.data[i]! - rgba[i]!));
    expect(worst).toBeLessThanOrEqual(4);
  });

  it('refuses a decompression bomb from its header, before decoding', async () => {
    const bomb = headerOnlyPng(30000, 30000);
    await expect(loadImage(bomb)).rejects.toThrow(ImageTooLargeError);
    await expect(loadImage(bomb)).rejects.toThrow(
      'PNG header says 30000×30000 = 900000000 pixels, more than the limit of 100000000 (raise the maxPixels option)',
    );
    await expect(loadImage(knownPng(), { maxPixels: 14 })).rejects.toThrow(
      /5×3 = 15 pixels, more than the limit of 14/,
    );
    expect((await loadImage(knownPng(), { maxPixels: 15 })).width).toBe(5);
  });

  it('refuses truncated, empty and unknown files with one typed line', async () => {
    const png = knownPng();
    const cut = png.subarray(0, 60);
    const e = await loadImage(cut).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ImageDecodeError);
    expect(isGradscopeError(e, 'bad-input')).toBe(true);
    expect((e as Error).message).toMatch(/^cannot decode PNG: the file is truncated \(chunk 'IDAT' at byte 33/);
    await expect(loadImage(headerOnlyPng(0, 4))).rejects.toThrow('PNG header says 0×4');
    await expect(loadImage(new TextEncoder().encode('GIF89a……'))).rejects.toThrow(/not a PNG or JPEG image/);
    await expect(loadImage(join(dir, 'missing.png'))).rejects.toThrow(/ENOENT/);
  });

  it('decodeImage takes the format from the bytes, or as told', () => {
    expect(decodeImage(knownPng(), { format: 'png' }).width).toBe(5);
    expect(() => decodeImage(knownPng(), { format: 'jpeg' })).toThrow(/cannot decode JPEG/);
  });
});
