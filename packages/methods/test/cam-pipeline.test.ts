import { describe, expect, it } from 'vitest';
import { combineLayerMaps, scaleCam } from '../src/index.js';

const close = (got: ArrayLike<number>, want: readonly number[], digits = 6) => {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, digits));
};

describe('scaleCam (PARITY steps 4–5)', () => {
  it('subtracts the minimum and divides by the maximum', () => {
    close(scaleCam(new Float32Array([1, 3, 5, 2]), 1, 4, 1, 4), [0, 0.5, 1, 0.25]);
  });
  it('clips negatives before scaling', () => {
    close(scaleCam(new Float32Array([-1, 0.5, 2, 0]), 2, 2, 2, 2), [0, 0.25, 1, 0]);
  });
  it('maps a constant map, or an all-negative one, to zeros, also after resizing', () => {
    close(scaleCam(new Float32Array([3, 3, 3, 3]), 2, 2, 2, 2), [0, 0, 0, 0]);
    close(scaleCam(new Float32Array([-1, -2, -3, -4]), 2, 2, 3, 3), new Array(9).fill(0));
  });
  it('scales THEN resizes with half-pixel centres and edge clamping (OpenCV INTER_LINEAR)', () => {
    // [[a, b], [c, d]] = [[0, .25], [1, 0]] after scaling; 2 → 4 samples at −.25 (clamped), .25, .75, 1.25 (clamped).
    const row0 = [0, 0.0625, 0.1875, 0.25];
    const row3 = [1, 0.75, 0.25, 0];
    const row1 = row0.map((v, i) => 0.75 * v + 0.25 * row3[i]!);
    const row2 = row0.map((v, i) => 0.25 * v + 0.75 * row3[i]!);
    close(scaleCam(new Float32Array([-1, 0.5, 2, 0]), 2, 2, 4, 4), [...row0, ...row1, ...row2, ...row3]);
  });
  it('resizes non-square maps along the right axes', () => {
    // one row [0, 1] → width 4 gives [0, .25, .75, 1]; height 1 → 3 repeats it
    const r = [0, 0.25, 0.75, 1];
    close(scaleCam(new Float32Array([0, 1]), 1, 2, 3, 4), [...r, ...r, ...r]);
  });
});

describe('combineLayerMaps (PARITY step 6)', () => {
  it('clips, averages over layers and min-max scales again', () => {
    const { map, mean } = combineLayerMaps([new Float32Array([0, 1, 0.5, 0.25]), new Float32Array([0.5, 0.5, 1, -1])]);
    close(mean, [0.25, 0.75, 0.75, 0.125]);
    close(map, [0.2, 1, 1, 0]);
  });
  it('refuses maps of different sizes', () => {
    expect(() => combineLayerMaps([new Float32Array(4), new Float32Array(9)])).toThrow(RangeError);
  });
});
