import { describe, expect, it } from 'vitest';
import { convTransposeWeight } from '../src/grad/conv-transpose-weight.js';

describe('convTransposeWeight (the weight of a Conv input gradient as a Conv)', () => {
  it('flips the taps and swaps in/out channels inside each group (worked by hand)', () => {
    // w: [M=4, C/g=1, 1, 2], group 2; w[m] = [2m, 2m+1]. out[c, m', t] = w[g·2 + m', 0, 1 − t], c = g.
    const r = convTransposeWeight([0, 1, 2, 3, 4, 5, 6, 7], [4, 1, 1, 2], 2);
    expect(r.dims).toEqual([2, 2, 1, 2]);
    expect([...r.values]).toEqual([1, 0, 3, 2, 5, 4, 7, 6]);
  });
  it('one group: out[c, m] = flip(w[m, c]) over both spatial axes', () => {
    // w: [M=2, C=3, 2, 2] with value 100m + 10c + tap (tap = row-major 2×2 index).
    const w = Array.from({ length: 24 }, (_, i) => 100 * Math.floor(i / 12) + 10 * Math.floor((i % 12) / 4) + (i % 4));
    const r = convTransposeWeight(w, [2, 3, 2, 2], 1);
    expect(r.dims).toEqual([3, 2, 2, 2]);
    const at = (c: number, m: number, t: number) => r.values[(c * 2 + m) * 4 + t];
    for (let c = 0; c < 3; c++)
      for (let m = 0; m < 2; m++) for (let t = 0; t < 4; t++) expect(at(c, m, t)).toBe(100 * m + 10 * c + (3 - t));
  });
});
