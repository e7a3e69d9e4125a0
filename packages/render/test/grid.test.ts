import { describe, expect, it } from 'vitest';
import { glyph, grid, gridLayout, type Image } from '../src/index.js';

/** A solid W×H RGB image whose pixel (x, y) is (id, x, y). */
const solid = (id: number, width: number, height: number): Image => {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([id, x, y], (y * width + x) * 3);
  return { data, width, height, channels: 3 };
};

const px = (img: { data: Uint8ClampedArray; width: number }, x: number, y: number): number[] => [
  ...img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4),
];

describe('grid', () => {
  const cells = [
    { image: solid(10, 10, 6), label: '-' },
    { image: solid(20, 8, 8), label: '_' },
    { image: solid(30, 4, 2) },
  ];
  const options = { columns: 2, gap: 3, labelScale: 2, background: [9, 9, 9] as const };

  it('lays cells out in rows and columns with gaps and a label band', () => {
    const L = gridLayout(cells, options);
    // cell 10×8 (largest image), label band (8 + 2)·2 = 20, 2 columns × 2 rows, gaps of 3
    expect([L.cellWidth, L.cellHeight, L.labelHeight]).toEqual([10, 8, 20]);
    expect([L.width, L.height]).toEqual([2 * 10 + 3 * 3, 2 * (8 + 20) + 3 * 3]);
    expect(L.cells.map((c) => [c.cellX, c.cellY, c.x, c.y])).toEqual([
      [3, 3, 3, 3 + 1], // 10×6 centred vertically in 8
      [16, 3, 16 + 1, 3], // 8×8 centred horizontally in 10
      [3, 34, 3 + 3, 34 + 3], // 4×2
    ]);
    // one-character labels are 5·2 wide, centred: x + ⌊(10 − 10)/2⌋; one font pixel (2) below the cell
    expect(L.cells.map((c) => [c.labelX, c.labelY])).toEqual([
      [3, 3 + 8 + 2],
      [16, 13],
      [3 + 5, 34 + 8 + 2],
    ]);
    expect(gridLayout([{ image: solid(1, 4, 4) }]).labelHeight).toBe(0);
    expect(gridLayout(cells).width).toBe(3 * 10 + 4 * 4); // default: one row, gap 4
  });

  it('copies every image pixel to its place and paints the rest with the background or label ink', () => {
    const out = grid(cells, options);
    const L = gridLayout(cells, options);
    const owner = new Int32Array(out.width * out.height).fill(-1);
    cells.forEach((c, k) => {
      const { x, y } = L.cells[k]!;
      for (let j = 0; j < c.image.height; j++) {
        for (let i = 0; i < c.image.width; i++) {
          expect(px(out, x + i, y + j)).toEqual([10 * (k + 1), i, j, 255]);
          owner[(y + j) * out.width + x + i] = k;
        }
      }
    });
    // Outside the images: background, except label ink ('-' in cell 0: rows 6–7 of the band's text;
    // '_' in cell 1: rows 14–15), drawn in black.
    const ink: string[] = [];
    for (let y = 0; y < out.height; y++) {
      for (let x = 0; x < out.width; x++) {
        if (owner[y * out.width + x] !== -1) continue;
        const p = px(out, x, y);
        if (p.join() === '0,0,0,255') ink.push(`${x},${y}`);
        else expect(p, `${x},${y}`).toEqual([9, 9, 9, 255]);
      }
    }
    const expected: string[] = [];
    for (let y = 0; y < out.height; y++) {
      for (let x = 0; x < out.width; x++) {
        if (x >= 3 && x < 13 && y >= 13 + 6 && y < 13 + 8) expected.push(`${x},${y}`); // '-' row 3 × scale 2
        if (x >= 16 && x < 26 && y >= 13 + 14 && y < 13 + 16) expected.push(`${x},${y}`); // '_' row 7 × scale 2
      }
    }
    expect(ink).toEqual(expected);
  });

  it("centres a label and puts exactly its glyphs' ink inside the label band", () => {
    const label = 'Grad-CAM 97%';
    const img = solid(1, 90, 5);
    const out = grid([{ image: img, label }], { gap: 0 });
    expect([out.width, out.height]).toEqual([90, 5 + 10]);
    const textWidth = label.length * 6 - 1;
    const x0 = Math.floor((90 - textWidth) / 2),
      y0 = 5 + 1;
    for (let y = 5; y < 15; y++) {
      for (let x = 0; x < 90; x++) {
        const gx = x - x0,
          gy = y - y0,
          k = Math.floor(gx / 6),
          col = gx % 6;
        const on = gx >= 0 && k < label.length && col < 5 && gy >= 0 && gy < 8 && glyph(label[k]!)![gy * 5 + col] === 1;
        expect(px(out, x, y), `${x},${y}`).toEqual(on ? [0, 0, 0, 255] : [255, 255, 255, 255]);
      }
    }
  });

  it('clips a label wider than its cell at the cell edge', () => {
    const out = grid([{ image: solid(1, 12, 4), label: 'WWWWWW' }, { image: solid(2, 12, 4) }], {
      gap: 2,
      background: [255, 255, 255],
    });
    let inkInGap = 0,
      inkInCell = 0;
    for (let y = 6; y < out.height; y++) {
      for (let x = 0; x < out.width; x++) {
        if (px(out, x, y)[0] !== 0) continue;
        if (x >= 2 && x < 14) inkInCell++;
        else inkInGap++;
      }
    }
    expect(inkInCell).toBeGreaterThan(0);
    expect(inkInGap).toBe(0);
  });

  it('composites translucent pixels over the background', () => {
    const out = grid([{ image: { data: Uint8Array.of(255, 0, 0, 128), width: 1, height: 1 } }], {
      gap: 1,
      background: [0, 0, 255],
    });
    expect(px(out, 1, 1)).toEqual([128, 0, 127, 255]);
  });

  it('rejects an empty grid and bad options', () => {
    expect(() => grid([])).toThrow(expect.objectContaining({ code: 'bad-input' }));
    expect(() => grid(cells, { columns: 0 })).toThrow(/columns/);
    expect(() => grid(cells, { labelScale: 0 })).toThrow(/labelScale/);
    expect(() => grid([{ image: { data: new Uint8Array(3), width: 2, height: 2 } }])).toThrow(
      expect.objectContaining({ code: 'bad-input-shape' }),
    );
  });
});
