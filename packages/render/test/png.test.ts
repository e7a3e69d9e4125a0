import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32, overlay } from '../src/index.js';
import { encodePng, writePng } from '../src/node.js';
import { float32, uint8 } from './fixtures.js';

/** A deterministic test image with gradients, noise and a transparent corner. */
function testImage(
  width: number,
  height: number,
): { data: Uint8ClampedArray; width: number; height: number; channels: 4 } {
  const data = new Uint8ClampedArray(width * height * 4);
  let s = 12345;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      s = (s * 1103515245 + 12345) >>> 0;
      const i = (y * width + x) * 4;
      data.set([(x * 7) & 255, (y * 13) & 255, s >>> 24, x < 4 && y < 4 ? 0 : 255 - ((x + y) & 63)], i);
    }
  }
  return { data, width, height, channels: 4 };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('encodePng', () => {
  it('crc32 matches the standard check value and zlib-style chaining', () => {
    const bytes = new TextEncoder().encode('123456789');
    expect(crc32(bytes)).toBe(0xcbf43926);
    expect(crc32(bytes.subarray(4), crc32(bytes.subarray(0, 4)))).toBe(0xcbf43926);
  });

  for (const filter of ['adaptive', 0, 1, 2, 3, 4] as const) {
    it(`round-trips RGBA through pngjs with filter ${filter}`, () => {
      const img = testImage(37, 23);
      const png = PNG.sync.read(Buffer.from(encodePng(img, { filter })));
      expect([png.width, png.height]).toEqual([37, 23]);
      expect(new Uint8Array(png.data)).toEqual(new Uint8Array(img.data));
    });
  }

  it('round-trips RGB (colour type 2) and a real overlay', () => {
    const image = uint8('overlay-image'),
      mask = float32('overlay-mask');
    const [H, W] = mask.shape as [number, number];
    const rgb = { data: image.data, width: W, height: H, channels: 3 as const };
    const bytes = encodePng(rgb);
    expect(bytes[25]).toBe(2); // IHDR colour type
    const png = PNG.sync.read(Buffer.from(bytes));
    for (let i = 0; i < W * H; i++)
      expect([...png.data.subarray(i * 4, i * 4 + 4)]).toEqual([...image.data.subarray(i * 3, i * 3 + 3), 255]);
    const ov = overlay(rgb, { data: mask.data, shape: [H, W] });
    expect(new Uint8Array(PNG.sync.read(Buffer.from(encodePng(ov))).data)).toEqual(new Uint8Array(ov.data));
  });

  it('writes a well-formed chunk stream: signature, IHDR, IDAT, IEND with valid CRCs', () => {
    const bytes = encodePng(testImage(5, 3), { filter: 0 });
    expect([...bytes.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const types: string[] = [];
    let at = 8;
    while (at < bytes.length) {
      const len = view.getUint32(at);
      const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
      types.push(type);
      expect(view.getUint32(at + 8 + len)).toBe(crc32(bytes.subarray(at + 4, at + 8 + len)));
      if (type === 'IDAT') expect(inflateSync(bytes.subarray(at + 8, at + 8 + len)).length).toBe(3 * (1 + 5 * 4));
      at += 12 + len;
    }
    expect(types).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect([view.getUint32(16), view.getUint32(20), bytes[24], bytes[25]]).toEqual([5, 3, 8, 6]);
  });

  it('adaptive filtering compresses a smooth gradient better than no filtering', () => {
    const img = testImage(64, 64);
    for (let i = 0; i < img.data.length; i += 4) img.data[i + 2] = (i >> 2) & 255; // replace noise with a ramp
    expect(encodePng(img).length).toBeLessThan(encodePng(img, { filter: 0 }).length);
  });

  it('rejects empty images and inconsistent data', () => {
    expect(() => encodePng({ data: new Uint8Array(0), width: 0, height: 0 })).toThrow(
      expect.objectContaining({ code: 'bad-input' }),
    );
    expect(() => encodePng({ data: new Uint8Array(7), width: 2, height: 1 })).toThrow(
      expect.objectContaining({ code: 'bad-input-shape' }),
    );
  });

  it('writePng creates parent directories and writes a decodable file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradscope-render-'));
    dirs.push(dir);
    const file = join(dir, 'a', 'b', 'out.png');
    const img = testImage(9, 4);
    await writePng(file, img);
    expect(new Uint8Array(PNG.sync.read(readFileSync(file)).data)).toEqual(new Uint8Array(img.data));
  });
});
