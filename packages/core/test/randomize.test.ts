import { describe, expect, it } from 'vitest';
import { CAPABILITIES, reinitializedWeights } from '../src/index.js';

describe('reinitializedWeights', () => {
  it("draws He's truncated normal: within ±2σ, mean 0, the truncated standard deviation", () => {
    const fanIn = 3 * 3 * 16;
    const sigma = Math.sqrt(2 / fanIn);
    const w = reinitializedWeights('kernel', 200_000, fanIn, 7, 'conv2/kernel');
    let sum = 0;
    let sq = 0;
    let max = 0;
    for (const v of w) {
      max = Math.max(max, Math.abs(v));
      sum += v;
      sq += v * v;
    }
    expect(max).toBeLessThanOrEqual(2 * sigma * (1 + 1e-6));
    const mean = sum / w.length;
    const sd = Math.sqrt(sq / w.length - mean * mean);
    // N(0,1) truncated to [−2, 2] has standard deviation √(1 − 4φ(2)/(2Φ(2) − 1)) = 0.879569
    const phi2 = Math.exp(-2) / Math.sqrt(2 * Math.PI);
    const truncatedSd = Math.sqrt(1 - (4 * phi2) / 0.9544997361036416);
    expect(Math.abs(mean)).toBeLessThan(0.01 * sigma);
    expect(sd / sigma).toBeCloseTo(truncatedSd, 2);
  });

  it('depends on the seed and the tensor name only; constants for zeros and ones', () => {
    const a = reinitializedWeights('kernel', 64, 9, 1, 'w');
    expect(reinitializedWeights('kernel', 64, 9, 1, 'w')).toEqual(a);
    expect(reinitializedWeights('kernel', 64, 9, 2, 'w')).not.toEqual(a);
    expect(reinitializedWeights('kernel', 64, 9, 1, 'v')).not.toEqual(a);
    expect([...reinitializedWeights('zeros', 3, 9, 1, 'b')]).toEqual([0, 0, 0]);
    expect([...reinitializedWeights('ones', 3, 9, 1, 'g')]).toEqual([1, 1, 1]);
  });

  it("is announced by the capability 'randomize-weights'", () => {
    expect(CAPABILITIES).toContain('randomize-weights');
  });
});
