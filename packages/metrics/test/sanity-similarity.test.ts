import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hog } from '../src/sanity/hog.js';
import { pearson, ranks, spearman } from '../src/sanity/spearman.js';
import { ssim } from '../src/sanity/ssim.js';
import { norm01, pattern } from './sanity-maps.js';

interface Case {
  a: string;
  b: string;
  height: number;
  width: number;
  spearman: number;
  spearmanAbs: number;
  ssimGaussian: number;
  ssimUniform: number;
  hog: number;
}
/** scipy/skimage numbers from scripts/sanity-reference.py (Debian's python3-skimage 0.19.3). */
const ref = JSON.parse(readFileSync(new URL('./fixtures/sanity-reference.json', import.meta.url), 'utf8')) as {
  cases: Case[];
  hog: Record<string, number[]>;
};

describe('sanity-check similarities against scipy and skimage', () => {
  it('ranks ties by their average rank; Spearman of monotone maps is 1, of reversed ones −1', () => {
    expect([...ranks([3, 1, 3, 2])]).toEqual([3.5, 1, 3.5, 2]);
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 400])).toBe(1);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 15);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
  });

  it.each(ref.cases.map((c) => [`${c.a} vs ${c.b} at ${c.height}×${c.width}`, c] as const))(
    '%s: Spearman (with and without |·|), SSIM (Gaussian and uniform windows), HOG similarity',
    (_, c) => {
      const [a, b] = [pattern(c.a, c.height, c.width), pattern(c.b, c.height, c.width)];
      expect(spearman(a, b)).toBeCloseTo(c.spearman, 12);
      expect(spearman(a.map(Math.abs), b.map(Math.abs))).toBeCloseTo(c.spearmanAbs, 12);
      const [a01, b01] = [norm01(a), norm01(b)];
      expect(ssim(a01, b01, c.height, c.width, 'gaussian')).toBeCloseTo(c.ssimGaussian, 10);
      expect(ssim(a01, b01, c.height, c.width, 'uniform')).toBeCloseTo(c.ssimUniform, 10);
      expect(pearson(hog(a01, c.height, c.width), hog(b01, c.height, c.width))).toBeCloseTo(c.hog, 9);
    },
  );

  it.each(Object.entries(ref.hog))('HOG features of %s equal skimage.feature.hog', (key, want) => {
    const [name, size] = [key.slice(0, key.lastIndexOf('-')), key.slice(key.lastIndexOf('-') + 1)];
    const [h, w] = size.split('x').map(Number) as [number, number];
    const got = hog(norm01(pattern(name, h, w)), h, w);
    expect(got.length).toBe(want.length);
    const worst = want.reduce((m, v, i) => Math.max(m, Math.abs(v - got[i]!)), 0);
    expect(worst).toBeLessThan(1e-6); // skimage sums each cell in float32
  });

  it('SSIM of a map with itself is 1; of a map and its negative is negative', () => {
    const a = norm01(pattern('wave', 40, 40));
    expect(ssim(a, a, 40, 40)).toBeCloseTo(1, 12);
    expect(
      ssim(
        a,
        a.map((v) => 1 - v),
        40,
        40,
      ),
    ).toBeLessThan(0);
  });
});
