import type { Tensor } from '@gradscope/core';
import { describe, expect, it } from 'vitest';
import { roadCombined, roadLeastRelevantFirst, roadMostRelevantFirst, runMetric } from '../src/index.js';
import { linearModel } from './linear-model.js';

// A 2×2 one-channel image x = [1, 2; 5, 7] under logits [Σx, −Σx] (score 15), map [0.1, 0.2; 0.3, 0.4].
// MoRF at 50: the threshold is 0.25, the bottom row is imputed. Its two pixels are corners with valid
// weight 1/6 + 1/6 + 1/12 = 5/12: (5/12)u = 1/6·(above) + 1/12·(diagonal) + 1/6·(the other unknown), i.e.
// 5u₂ − 2u₃ = 4 and 5u₃ − 2u₂ = 5, so u₂ = 10/7, u₃ = 11/7 and the score is 1 + 2 + 3 = 6: −9.
// LeRF at 50 (1 − map, threshold 0.75) imputes the top row: 5u₀ − 2u₁ = 17, 5u₁ − 2u₀ = 19, u₀ = 41/7,
// u₁ = 43/7, score 12 + 12 = 24: +9. ROADCombined: (9 − (−9)) / 2 = 9.
const subject = (seed?: number) => ({
  model: linearModel('NCHW', 1),
  input: { data: Float32Array.from([1, 2, 5, 7]), shape: [1, 1, 2, 2] } as Tensor,
  map: { data: Float32Array.from([0.1, 0.2, 0.3, 0.4]), shape: [2, 2] } as Tensor,
  target: { kind: 'class' as const },
  ...(seed === undefined ? {} : { seed }),
});
const exact = { percentiles: [50], noise: 0 };

describe('ROAD metrics, closed form (noise 0)', () => {
  it('most relevant first: −9 at the 50th percentile', async () => {
    const r = await runMetric(roadMostRelevantFirst, subject(), exact);
    expect((r.value as Record<string, number>)['50']).toBeCloseTo(-9, 5);
    expect(r.details).toEqual({ '50': 2 });
  });

  it('least relevant first: +9 at the 50th percentile', async () => {
    const r = await runMetric(roadLeastRelevantFirst, subject(), exact);
    expect((r.value as Record<string, number>)['50']).toBeCloseTo(9, 5);
  });

  it('combined: (mean LeRF − mean MoRF) / 2 = 9', async () => {
    expect((await runMetric(roadCombined, subject(), exact)).value).toBeCloseTo(9, 5);
  });

  it('keys the value by percentile, as written, with the default 20, 40, 60, 80', async () => {
    const v = (await runMetric(roadMostRelevantFirst, subject(), { noise: 0 })).value;
    expect(Object.keys(v)).toEqual(['20', '40', '60', '80']);
    const w = (await runMetric(roadMostRelevantFirst, subject(), { percentiles: [12.5, 50], noise: 0 })).value;
    expect(Object.keys(w).sort()).toEqual(['12.5', '50']); // (JS lists integer keys first)
  });
});

describe('ROAD metrics with noise', () => {
  const run = async (seed: number) =>
    [
      (await runMetric(roadMostRelevantFirst, subject(seed), { percentiles: [50], noise: 0.5 })).value,
      (await runMetric(roadCombined, subject(seed), { percentiles: [50], noise: 0.5 })).value,
    ] as [Record<string, number>, number];

  it('is reproducible with equal seeds, different with different seeds, and noisy around the exact value', async () => {
    const [a, b, c] = [await run(1), await run(1), await run(2)];
    expect(a).toEqual(b);
    expect(a[0]['50']).not.toBe(c[0]['50']);
    expect(a[1]).not.toBe(c[1]);
    expect(a[0]['50']).not.toBeCloseTo(-9, 5);
    expect(Math.abs(a[0]['50']! + 9)).toBeLessThan(4); // two N(0, 0.25) draws: 4 is 5.6σ of their sum
  });
});
