import { describe, expect, it } from 'vitest';
import { COLORMAPS, colormapLut, colorize } from '../src/index.js';
import { refs } from './fixtures.js';

const rows = (lut: Uint8Array): number[][] =>
  Array.from({ length: 256 }, (_, k) => [lut[3 * k]!, lut[3 * k + 1]!, lut[3 * k + 2]!]);

describe('colormaps', () => {
  it('JET equals OpenCV COLORMAP_JET (cv2.applyColorMap, BGR→RGB) in every entry', () => {
    expect(rows(colormapLut('jet'))).toEqual(refs.opencv.jet);
  });

  for (const name of ['viridis', 'inferno', 'turbo'] as const) {
    it(`${name} is within half a level of matplotlib's float table`, () => {
      const lut = colormapLut(name);
      let worst = 0;
      refs.matplotlibFloat[name].forEach((rgb, k) =>
        rgb.forEach((v, c) => (worst = Math.max(worst, Math.abs(255 * v - lut[3 * k + c]!)))),
      );
      expect(worst).toBeLessThanOrEqual(0.5);
    });

    it(`${name} is within one level of matplotlib's bytes=True table (which truncates)`, () => {
      const lut = rows(colormapLut(name));
      const d = lut.flatMap((rgb, k) => rgb.map((v, c) => v - refs.matplotlibBytes[name][k]![c]!));
      expect(Math.min(...d)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...d)).toBeLessThanOrEqual(1);
    });

    it(`${name} equals OpenCV's COLORMAP_${name.toUpperCase()} in every entry`, () => {
      expect(rows(colormapLut(name))).toEqual(refs.opencv[name]);
    });
  }

  it('lists the built-in maps and rejects unknown names and bad custom tables', () => {
    expect(COLORMAPS).toEqual(['jet', 'viridis', 'inferno', 'turbo']);
    expect(() => colormapLut('hot' as never)).toThrow(
      expect.objectContaining({ code: 'bad-option', message: expect.stringContaining("unknown colormap 'hot'") }),
    );
    expect(() => colormapLut('toString' as never)).toThrow(/unknown colormap/);
    expect(() => colormapLut(new Uint8Array(10))).toThrow(/768 bytes/);
  });
});

describe('colorize', () => {
  it('maps v to lut[uint8(255·v)] with numpy truncation and clamps out-of-range values', () => {
    // 0.5 → 127.5 → 127; 1/255 in float32 times 255 rounds to exactly 1; 0.999 → 254; out of range clamps.
    const values = [0, 0.5, 1 / 255, 0.999, 1, -3, 7, Number.NaN];
    const img = colorize({ data: Float32Array.from(values), shape: [1, 2, 4] }, 'jet');
    expect([img.width, img.height]).toEqual([4, 2]);
    const jet = refs.opencv.jet;
    const levels = [0, 127, 1, 254, 255, 0, 255, 0];
    levels.forEach((lv, i) => expect([...img.data.subarray(i * 4, i * 4 + 4)]).toEqual([...jet[lv]!, 255]));
  });

  it('accepts a custom table and rejects maps that are not 2-D', () => {
    const grey = Uint8Array.from({ length: 768 }, (_, i) => Math.floor(i / 3));
    const img = colorize({ data: Float32Array.of(0.25, 0.75), shape: [1, 2] }, grey);
    expect([...img.data]).toEqual([63, 63, 63, 255, 191, 191, 191, 255]);
    expect(() => colorize({ data: new Float32Array(8), shape: [2, 2, 2] })).toThrow(
      expect.objectContaining({ code: 'bad-input-shape' }),
    );
  });
});
