import { describe, expect, it } from 'vitest';
import { deprocess, showAttribution, type FloatMap } from '../src/index.js';

/** A 3×8×8 NCHW attribution with structure: a bright square on a weak ramp, times `scale`. */
function structured(scale: number): FloatMap {
  const data = new Float32Array(3 * 64);
  for (let c = 0; c < 3; c++)
    for (let y = 0; y < 8; y++)
      for (let x = 0; x < 8; x++)
        data[c * 64 + y * 8 + x] = scale * ((x >= 2 && x < 5 && y >= 3 && y < 6 ? 4 : 0) + 0.1 * x - 0.05 * c);
  return { data, shape: [1, 3, 8, 8] };
}

const spread = (d: ArrayLike<number>) => {
  const g = Array.from({ length: d.length / 4 }, (_, i) => d[i * 4]!);
  return Math.max(...g) - Math.min(...g);
};

describe('showAttribution: display scaling that shows structure at any scale (.npy values untouched)', () => {
  it('an attribution with std ~1e-7 shows the same picture as at scale 1; deprocess shows it flat', () => {
    const tiny = structured(1e-7);
    const copy = Float32Array.from(tiny.data);
    const a = showAttribution(tiny, { layout: 'NCHW' });
    const b = showAttribution(structured(1), { layout: 'NCHW' });
    expect(Array.from(a.image.data)).toEqual(Array.from(b.image.data));
    expect(spread(a.image.data)).toBeGreaterThan(100);
    expect(a.allZero).toBe(false);
    expect(spread(deprocess(tiny, { layout: 'NCHW' }).data)).toBeLessThanOrEqual(1); // the bug it fixes
    expect(Array.from(tiny.data)).toEqual(Array.from(copy)); // input not modified
  });
  it('maps mean to mid grey and the percentile deviation to the ends (closed form)', () => {
    // 100 values: 0..99 on one channel; mean 49.5; |dev| sorted: 0.5,0.5,1.5,…,49.5; 99th pct = 49.5
    const data = Float32Array.from({ length: 100 }, (_, i) => i);
    const r = showAttribution({ data, shape: [1, 10, 10] }, { layout: 'NCHW' });
    expect(r.image.data[0]).toBe(Math.round(255 * (0.5 + (0.5 * -49.5) / 49.5)));
    expect(r.image.data[4 * 60]).toBe(Math.round(255 * (0.5 + (0.5 * 10.5) / 49.5)));
    expect(r.image.data[4 * 99]).toBe(255);
  });
  it('a sparse map (more than 99% equal values) falls back to the largest deviation; NHWC works', () => {
    const data = new Float32Array(3 * 400);
    data[5 * 3 + 1] = 2e-9;
    const r = showAttribution({ data, shape: [1, 20, 20, 3] }, { layout: 'NHWC' });
    expect(r.image.data[5 * 4 + 1]).toBe(255);
    expect(r.allZero).toBe(false);
  });
  it('an all-zero attribution is flat grey and flagged', () => {
    const r = showAttribution({ data: new Float32Array(48), shape: [1, 3, 4, 4] }, { layout: 'NCHW' });
    expect(r.allZero).toBe(true);
    expect(new Set(Array.from(r.image.data).filter((_, i) => i % 4 !== 3))).toEqual(new Set([128]));
  });
});
