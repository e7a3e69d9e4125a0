import type { Tensor } from '@gradscope/core';
import { describe, expect, it } from 'vitest';
import { deletionAuc, insertionAuc, runMetric } from '../src/index.js';
import { riseAuc } from '../src/causal-curve.js';
import { plane, regionModel } from './region-model.js';

// A linear model whose class-0 logit is the sum of the image over a region R of 4 pixels, on a 4×4
// image of ones: the logit is 4 minus the number of R's pixels deleted. A map ranking pixels by
// decreasing value with R first ("perfect") or last ("reversed"), one pixel per step (16 steps, 17
// scores at x = i/16), and the constant baseline 0:
//   deletion,  perfect:  y = 4, 3, 2, 1, 0, … 0            AUC = (Σy − y₀/2 − y₁₆/2)/16 = (10 − 2)/16 = 0.5
//   deletion,  reversed: y = 4 (i ≤ 12), 3, 2, 1, 0        AUC = (52 + 6 − 2)/16 = 3.5
//   insertion, perfect:  y = 0, 1, 2, 3, 4, … 4            AUC = (6 + 52 − 2)/16 = 3.5
//   insertion, reversed: y = 0 (i ≤ 12), 1, 2, 3, 4        AUC = (10 − 2)/16 = 0.5
// With 4 pixels per step (5 scores at x = i/4): deletion perfect y = 4, 0, 0, 0, 0 → AUC (4 − 2)/4 = 0.5;
// reversed y = 4, 4, 4, 4, 0 → (16 − 2)/4 = 3.5.
const R = [5, 6, 9, 10]; // the centre 2×2 block
const ones = (C: number, layout: 'NCHW' | 'NHWC'): Tensor => ({
  data: new Float32Array(16 * C).fill(1),
  shape: layout === 'NCHW' ? [1, C, 4, 4] : [1, 4, 4, C],
});
const perfect = plane(4, 4, (p) => (R.includes(p) ? 0.9 + p / 1000 : p / 100));
const reversed = plane(4, 4, (p) => 1 - perfect.data[p]!);
const subject = (map: Tensor, C = 1, layout: 'NCHW' | 'NHWC' = 'NCHW') => ({
  model: regionModel(4, 4, R, { channels: C, layout }),
  input: ones(C, layout),
  map,
  target: { kind: 'class' as const, index: 0 },
});

describe('deletion-auc and insertion-auc (closed form, linear model)', () => {
  it('integrates the hand-derived curves, one pixel per step', async () => {
    const o = { step: 1, baseline: 'constant' };
    const del = await runMetric(deletionAuc, subject(perfect), o);
    expect(del.curve!.y).toEqual([4, 3, 2, 1, ...Array(13).fill(0)]);
    expect(del.curve!.x).toEqual(Array.from({ length: 17 }, (_, i) => i / 16));
    expect(del.value).toBeCloseTo(0.5, 12);
    expect((await runMetric(deletionAuc, subject(reversed), o)).value).toBeCloseTo(3.5, 12);
    const ins = await runMetric(insertionAuc, subject(perfect), o);
    expect(ins.curve!.y).toEqual([0, 1, 2, 3, ...Array(13).fill(4)]);
    expect(ins.value).toBeCloseTo(3.5, 12);
    expect((await runMetric(insertionAuc, subject(reversed), o)).value).toBeCloseTo(0.5, 12);
  });

  it('takes `step` pixels per step, all channels at once, in either layout', async () => {
    for (const layout of ['NCHW', 'NHWC'] as const) {
      // 3 channels: the logit triples (12 at the start), the AUCs too
      const del = await runMetric(deletionAuc, subject(perfect, 3, layout), { step: 4 });
      expect(del.curve!.y).toEqual([12, 0, 0, 0, 0]);
      expect(del.value).toBeCloseTo(1.5, 12);
      const rev = await runMetric(deletionAuc, subject(reversed, 3, layout), { step: 4 });
      expect(rev.curve!.y).toEqual([12, 12, 12, 12, 0]);
      expect(rev.value).toBeCloseTo(10.5, 12);
    }
  });

  it("replaces pixels by the constant `value` (deletion's baseline is RISE's zero by default)", async () => {
    // value −1: deleting one pixel of R lowers the logit by 2 (from 1 to −1)
    const del = await runMetric(deletionAuc, subject(perfect), { step: 4, value: -1 });
    expect(del.curve!.y).toEqual([4, -4, -4, -4, -4]);
    expect(del.value).toBeCloseTo((4 - 16 - 4 / 2 + 4 / 2) / 4, 12); // = −3
  });

  it('builds the images lazily, one chunk of `batch` rows per model call', async () => {
    const s = subject(perfect);
    await runMetric(deletionAuc, s, { step: 1, batch: 5 });
    expect(s.model.calls).toEqual([1, 5, 5, 5, 2]); // the context's own forward, then 17 rows
  });

  it('defaults to H·W/224 pixels per step (RISE: 224 at 224×224) and spaces the AUC evenly', async () => {
    const h = 32;
    const s = {
      model: regionModel(h, h, [0]),
      input: { data: new Float32Array(h * h).fill(1), shape: [1, 1, h, h] },
      map: plane(h, h, (p) => -p),
      target: { kind: 'class' as const, index: 0 },
    };
    const r = await runMetric(deletionAuc, s);
    expect(r.details).toMatchObject({ step: 5, steps: 205 }); // round(1024 / 224) = 5, ⌈1024 / 5⌉ = 205
    expect(r.curve!.x.at(-1)).toBe(1);
    expect(r.curve!.x.at(-2)).toBe(1020 / 1024); // the last step is 4 pixels
    expect(r.value).toBeCloseTo(0.5 / 205, 12); // y = 1, 0, … 0
  });

  it('refuses a map of another size than the image', async () => {
    await expect(runMetric(deletionAuc, subject(plane(2, 2, () => 0)))).rejects.toThrow(/map must be \[4, 4\]/);
  });
});

describe('riseAuc', () => {
  it('is the trapezoid rule on evenly spaced points of [0, 1]', () => {
    expect(riseAuc([1, 1, 1])).toBe(1);
    expect(riseAuc([0, 1])).toBe(0.5);
    expect(riseAuc([0, 2, 0])).toBe(1);
  });
});
