import { describe, expect, it } from 'vitest';
import { closeness, closenessUpToSign, formatCloseness, mismatch, withinTolerance } from '../src/index.js';

describe('closeness', () => {
  it('is exact for identical arrays', () => {
    expect(closeness([1, -2, 3], [1, -2, 3])).toEqual({ maxAbs: 0, relative: 0, cosine: 1 });
  });

  it('measures a scaled copy: max |Δ|, relative to max |expected|, cosine 1', () => {
    const c = closeness([2, -4, 6], [1, -2, 3]);
    expect(c.maxAbs).toBe(3);
    expect(c.relative).toBe(1);
    expect(c.cosine).toBeCloseTo(1, 12);
  });

  it('gives cosine 0 for orthogonal and −1 for opposite arrays', () => {
    expect(closeness([1, 0], [0, 1]).cosine).toBe(0);
    expect(closeness([1, 2], [-1, -2]).cosine).toBeCloseTo(-1, 12);
  });

  it('handles all-zero arrays: both zero match, one zero does not', () => {
    expect(closeness([0, 0], [0, 0])).toEqual({ maxAbs: 0, relative: 0, cosine: 1 });
    expect(closeness([1, 0], [0, 0])).toEqual({ maxAbs: 1, relative: Infinity, cosine: 0 });
    expect(closeness([0, 0], [1, 0]).cosine).toBe(0);
  });

  it('turns NaN into a failure under any tolerance', () => {
    const c = closeness([NaN, 1], [1, 1]);
    expect(withinTolerance(c, { maxAbs: 1e9, relative: 1e9, cosine: -1 })).toBe(false);
  });

  it('refuses arrays of different lengths', () => {
    expect(() => closeness([1], [1, 2])).toThrow(RangeError);
  });

  it('compares up to sign', () => {
    expect(closenessUpToSign([-1, 2], [1, -2]).maxAbs).toBe(0);
    expect(closenessUpToSign([1, 2], [1, 2]).maxAbs).toBe(0);
  });
});

describe('withinTolerance', () => {
  const c = { maxAbs: 1e-3, relative: 1e-2, cosine: 0.99999 };
  it('passes when any criterion holds', () => {
    expect(withinTolerance(c, { maxAbs: 1e-4, cosine: 0.9999 })).toBe(true);
    expect(withinTolerance(c, { relative: 1e-2 })).toBe(true);
    expect(withinTolerance(c, { maxAbs: 1e-3 })).toBe(true);
  });
  it('fails when none holds, and with no criterion at all', () => {
    expect(withinTolerance(c, { maxAbs: 1e-4, relative: 1e-3, cosine: 0.999999 })).toBe(false);
    expect(withinTolerance(c, {})).toBe(false);
  });
});

describe('mismatch', () => {
  const t = (data: number[], shape: number[]) => ({ data: Float32Array.from(data), shape });
  it('is null when shapes agree and values are within tolerance', () => {
    expect(mismatch(t([1, 2, 3, 4], [2, 2]), t([1, 2, 3, 4.00001], [2, 2]), { maxAbs: 1e-4 }, 'x')).toBeNull();
  });
  it('names a shape difference even when the values are identical', () => {
    expect(mismatch(t([1, 2, 3, 4], [4]), t([1, 2, 3, 4], [2, 2]), { maxAbs: 1 }, 'map')).toBe(
      'map: shape [4], expected [2, 2]',
    );
  });
  it('reports the measures and the tolerance', () => {
    const msg = mismatch(t([1, 2], [2]), t([1, 3], [2]), { maxAbs: 1e-4, cosine: 0.9999 }, 'raw');
    expect(msg).toMatch(
      /^raw: max\|Δ\| 1\.00e\+0, relative 3\.33e-1, cosine 0\.9899495 \(want max\|Δ\| ≤ 0\.0001 or cosine ≥ 0\.9999\)$/,
    );
  });
  it('compares up to sign when asked', () => {
    expect(mismatch(t([-1, 2], [2]), t([1, -2], [2]), { maxAbs: 1e-6 }, 'raw')).not.toBeNull();
    expect(mismatch(t([-1, 2], [2]), t([1, -2], [2]), { maxAbs: 1e-6 }, 'raw', true)).toBeNull();
  });
  it('formats non-finite measures', () => {
    expect(formatCloseness({ maxAbs: NaN, relative: Infinity, cosine: 0 }, { relative: 1 })).toContain(
      'max|Δ| NaN, relative Infinity',
    );
  });
});
