import type { Layout, Tensor } from '@gradscope/core';
import { describe, expect, it } from 'vitest';
import { camMultImageConfidenceChange, dropInConfidence, increaseInConfidence, runMetric } from '../src/index.js';
import { linearModel } from './linear-model.js';

const map = (...v: number[]): Tensor => ({ data: Float32Array.from(v), shape: [2, 2] });
/** One channel: logits [Σx, −Σx], so score(x ⊙ m) = Σ x·m on the class explained. */
const subject = (x: number[], m: Tensor) => ({
  model: linearModel('NCHW', 1),
  input: { data: Float32Array.from(x), shape: [1, 1, 2, 2] },
  map: m,
  target: { kind: 'class' as const },
});
const value = async (metric: typeof dropInConfidence, s: ReturnType<typeof subject>) =>
  (await runMetric(metric, s)).value;

describe("pytorch-grad-cam's confidence metrics, closed form", () => {
  it('a drop: score 10 → Σ x·m = 0.5 + 3 + 1 = 4.5', async () => {
    const s = subject([1, 2, 3, 4], map(0.5, 0, 1, 0.25));
    expect(await value(camMultImageConfidenceChange, s)).toBeCloseTo(-5.5, 6);
    expect(await value(dropInConfidence, s)).toBeCloseTo(5.5, 6);
    expect(await value(increaseInConfidence, s)).toBe(0);
  });

  it('a rise: score 1 → 2 once the negative pixel is masked out', async () => {
    const s = subject([2, -1, 0, 0], map(1, 0, 0, 0));
    expect(await value(camMultImageConfidenceChange, s)).toBeCloseTo(1, 6);
    expect(await value(dropInConfidence, s)).toBe(0);
    expect(await value(increaseInConfidence, s)).toBe(1);
  });

  it('no change is no increase (strictly greater, as pytorch-grad-cam)', async () => {
    const s = subject([1, 2, 3, 4], map(1, 1, 1, 1));
    expect(await value(camMultImageConfidenceChange, s)).toBe(0);
    expect(await value(increaseInConfidence, s)).toBe(0);
  });

  it('scores the class explained on the original image, not the perturbed top-1', async () => {
    const s = subject([-1, -1, -1, -1], map(0.5, 0.5, 0.5, 0.5)); // class 1: −Σx = 4 → 2
    expect(await value(camMultImageConfidenceChange, s)).toBeCloseTo(-2, 6);
  });

  it.each(['NCHW', 'NHWC'] as Layout[])('multiplies every channel by the pixel’s map value in %s', async (layout) => {
    // channel 0 = 1, 2, 3, 4; channel 1 = 10, 20, 30, 40; the map keeps pixel 0 only: Σ = 1 + 10.
    const nchw = [1, 2, 3, 4, 10, 20, 30, 40];
    const data = layout === 'NCHW' ? nchw : [1, 10, 2, 20, 3, 30, 4, 40];
    const s = {
      model: linearModel(layout, 2),
      input: { data: Float32Array.from(data), shape: [1, 2, 2, 2] }, // C = H = W = 2 in both layouts
      map: map(1, 0, 0, 0),
      target: { kind: 'class' as const },
    };
    expect(await value(camMultImageConfidenceChange, s)).toBeCloseTo(11 - 110, 5);
  });

  it('refuses a map of another size than the input', async () => {
    const s = subject([1, 2, 3, 4], { data: new Float32Array(9), shape: [3, 3] });
    await expect(value(dropInConfidence, s)).rejects.toThrow(/does not match the input's 2×2 pixels/);
  });
});
