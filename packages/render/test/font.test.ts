import { describe, expect, it } from 'vitest';
import { createImage, drawText, FONT, glyph, measureText } from '../src/index.js';

const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i));
const ink = (g: Uint8Array): number => g.reduce((a, b) => a + b, 0);
const rowsWithInk = (g: Uint8Array): number[] =>
  [...Array(FONT.glyphHeight).keys()].filter((r) => g.subarray(r * 5, r * 5 + 5).some((b) => b === 1));

describe('built-in font', () => {
  it('covers printable ASCII, including letters, digits and -_.:%()/ and space', () => {
    const required = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:%()/ ';
    for (const ch of required) expect(glyph(ch), ch).toBeInstanceOf(Uint8Array);
    for (const ch of printable) expect(glyph(ch)?.length, ch).toBe(FONT.glyphWidth * FONT.glyphHeight);
    expect(glyph('é')).toBeUndefined();
    expect(glyph('\n')).toBeUndefined();
  });

  it('every visible glyph has ink, space has none, and no two glyphs are equal', () => {
    expect(ink(glyph(' ')!)).toBe(0);
    for (const ch of printable.slice(1)) expect(ink(glyph(ch)!), ch).toBeGreaterThan(0);
    const keys = new Set(printable.map((ch) => glyph(ch)!.join('')));
    expect(keys.size).toBe(95);
  });

  it('only descenders and the underscore reach row 7; capitals and digits fill rows 0–6', () => {
    for (const ch of printable) {
      const uses7 = rowsWithInk(glyph(ch)!).includes(7);
      expect(uses7, ch).toBe('gjpqy,;_'.includes(ch));
    }
    for (const ch of 'ABEHKLMNRTUVWXZ0123456789') expect(rowsWithInk(glyph(ch)!), ch).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('draws known shapes: "-" is a full row 3, "|" the middle column, "." one pixel', () => {
    expect([...glyph('-')!]).toEqual([...Array(40)].map((_, i) => (i >= 15 && i < 20 ? 1 : 0)));
    expect([...glyph('|')!]).toEqual([...Array(40)].map((_, i) => (i % 5 === 2 && i < 35 ? 1 : 0)));
    expect([...glyph('.')!].flatMap((b, i) => (b ? [i] : []))).toEqual([6 * 5 + 2]);
  });

  it('drawText scales each font pixel to a block and advances 6·scale per character', () => {
    const img = createImage(40, 20, [255, 255, 255, 255]);
    drawText(img, '.-', 3, 2, { scale: 3, color: [200, 0, 0] });
    const inked: [number, number][] = [];
    for (let y = 0; y < 20; y++)
      for (let x = 0; x < 40; x++) if (img.data[(y * 40 + x) * 4 + 1] === 0) inked.push([x, y]);
    const expected: [number, number][] = [];
    for (let y = 0; y < 20; y++) {
      for (let x = 0; x < 40; x++) {
        const dot = x >= 3 + 6 && x < 3 + 9 && y >= 2 + 18 && y < 2 + 21; // '.': column 2, row 6
        const dash = x >= 3 + 18 && x < 3 + 18 + 15 && y >= 2 + 9 && y < 2 + 12; // '-': row 3, columns 0–4
        if (dot || dash) expected.push([x, y]);
      }
    }
    expect(inked).toEqual(expected.filter(([, y]) => y < 20));
    expect([...img.data.subarray((11 * 40 + 21) * 4, (11 * 40 + 21) * 4 + 4)]).toEqual([200, 0, 0, 255]);
  });

  it('measures text and draws unknown characters as "?"', () => {
    expect(measureText('abc', 2)).toEqual({ width: 34, height: 16 });
    expect(measureText('')).toEqual({ width: 0, height: 8 });
    const a = drawText(createImage(6, 8), 'é', 0, 0, { color: [255, 255, 255] });
    const b = drawText(createImage(6, 8), '?', 0, 0, { color: [255, 255, 255] });
    expect(a.data).toEqual(b.data);
    expect(() => drawText(createImage(1, 1), 'x', 0, 0, { scale: 1.5 })).toThrow(
      expect.objectContaining({ code: 'bad-option' }),
    );
  });
});
