import type { Tensor } from '@gradscope/core';
import { describe, expect, it } from 'vitest';
import { boxMask, energyPointingGame, iou, pointingGame, runMetric } from '../src/index.js';
import { plane, regionModel } from './region-model.js';

// 40×40 maps; the object is the box x 10…19, y 20…29 (boxMask [10, 20, 20, 30]).
const H = 40;
const mask = boxMask(H, H, [[10, 20, 20, 30]]);
const subject = (map: Tensor, m: Tensor = mask) => ({
  model: regionModel(H, H, [0]),
  input: { data: new Float32Array(H * H), shape: [1, 1, H, H] },
  map,
  target: { kind: 'class' as const, index: 0 },
  mask: m,
});
/** A map that is 0 except `v` at (x, y). */
const peak = (x: number, y: number, v = 1) => plane(H, H, (p) => (p === y * H + x ? v : 0));

describe('boxMask', () => {
  it('covers the pixels whose centres lie in a box (integer boxes are half-open), clipped to the image', () => {
    const m = boxMask(4, 6, [
      [2, 1, 5, 3],
      [5.4, 3.2, 9, 9],
    ]);
    const rows = Array.from({ length: 4 }, (_, y) => Array.from(m.data.subarray(y * 6, y * 6 + 6)).join(''));
    expect(rows).toEqual(['000000', '001110', '001110', '000001']); // the 2nd box holds only centre (5.5, 3.5)
    expect(() => boxMask(4, 4, [[3, 0, 1, 2]])).toThrow(/xmin ≤ xmax/);
  });
});

describe('pointing-game', () => {
  it('hits when the maximum is on the object', async () => {
    expect((await runMetric(pointingGame, subject(peak(15, 25)))).value).toBe(1);
  });

  it('hits within the tolerance (Euclidean, ≤) and misses beyond it', async () => {
    // the object's nearest pixel to (19 + d, 25) is (19, 25), d pixels away
    expect((await runMetric(pointingGame, subject(peak(34, 25)))).value).toBe(1); // d = 15
    expect((await runMetric(pointingGame, subject(peak(35, 25)))).value).toBe(0); // d = 16
    // diagonal from the corner (19, 29): (19 + 12, 29 + 9) is √(144 + 81) = 15 away, (19 + 12, 29 + 10) 15.6
    expect((await runMetric(pointingGame, subject(peak(31, 38)))).value).toBe(1);
    expect((await runMetric(pointingGame, subject(peak(31, 39)))).value).toBe(0);
  });

  it('tolerance 0 asks for the maximum itself inside', async () => {
    expect((await runMetric(pointingGame, subject(peak(20, 25)), { tolerance: 0 })).value).toBe(0);
    expect((await runMetric(pointingGame, subject(peak(19, 25)), { tolerance: 0 })).value).toBe(1);
  });

  it('breaks ties by the first maximum in row-major order and counts them', async () => {
    // two equal maxima: (0, 0) far from the object first, (15, 25) on it second
    const map = plane(H, H, (p) => (p === 0 || p === 25 * H + 15 ? 1 : 0));
    const r = await runMetric(pointingGame, subject(map));
    expect(r.value).toBe(0);
    expect(r.details).toEqual({ x: 0, y: 0, ties: 2 });
  });

  it('needs a mask', async () => {
    const { mask: _, ...noMask } = subject(peak(1, 1));
    await expect(runMetric(pointingGame, noMask)).rejects.toThrow(/needs a ground-truth mask/);
  });
});

describe('energy-pointing-game', () => {
  it('is the share of the map inside the mask', async () => {
    // 1 on the 100 object pixels, 0.5 on the 4 pixels of row 0 x 0…3, 0.25 everywhere else (1496 px)
    const map = plane(H, H, (p) => (mask.data[p] ? 1 : p < 4 ? 0.5 : 0.25));
    const r = await runMetric(energyPointingGame, subject(map));
    expect(r.value).toBeCloseTo(100 / (100 + 2 + 0.25 * 1496), 12);
    expect((await runMetric(energyPointingGame, subject(plane(H, H, () => 0)))).value).toBe(0);
  });
});

describe('iou', () => {
  it('thresholds the map and compares with the mask', async () => {
    // the map is the box shifted right by 5: x 15…24; intersection x 15…19 (50 px), union x 10…24 (150 px)
    const shifted = boxMask(H, H, [[15, 20, 25, 30]]);
    const map = plane(H, H, (p) => (shifted.data[p] ? 0.8 : 0.3));
    expect((await runMetric(iou, subject(map))).value).toBeCloseTo(50 / 150, 12);
    // threshold 0.3 keeps every pixel: 100 / 1600
    expect((await runMetric(iou, subject(map), { threshold: 0.3 })).value).toBeCloseTo(100 / 1600, 12);
    expect((await runMetric(iou, subject(map), { threshold: 0.9 })).value).toBe(0);
  });

  it('refuses a mask of another size than the map', async () => {
    await expect(runMetric(iou, subject(peak(0, 0), boxMask(4, 4, [])))).rejects.toThrow(/same size/);
  });
});
