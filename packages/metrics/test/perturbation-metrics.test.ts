import type { Tensor } from '@gradscope/core';
import { describe, expect, it } from 'vitest';
import { infidelity, infidelityMetric, runMetric, sensitivityMax, sensitivityMaxMetric } from '../src/index.js';
import { gaussianArray, uniformArray } from '../src/random.js';
import { plane, regionModel } from './region-model.js';

// The linear region model (perturbed inputs are float32, so values hold to ~1e-7 relative): f(x) = Σ over R and every channel of x. For a perturbation I,
// b = f(x) − f(x − I) = Σ_R Σ_c I exactly, and the attribution "1 on R, every channel" gives a = b.
const R = [1, 2, 6];
const C = 3;
const subject = (layout: 'NCHW' | 'NHWC') => ({
  model: regionModel(3, 3, R, { channels: C, layout }),
  input: {
    data: Float32Array.from({ length: 9 * C }, (_, i) => Math.sin(i)),
    shape: layout === 'NCHW' ? [1, C, 3, 3] : [1, 3, 3, C],
  },
  map: plane(3, 3, (p) => (R.includes(p) ? 1 : 0)),
  target: { kind: 'class' as const, index: 0 },
});
/** Sample i: every value of the input perturbed by k[i]. */
const constant = (k: readonly number[]) => (i: number, x: Tensor) => new Float32Array(x.data.length).fill(k[i]!);

describe('infidelity (closed form, linear model)', () => {
  it('is 0 for the exact attribution: the map on every channel, either layout', async () => {
    for (const layout of ['NCHW', 'NHWC'] as const) {
      const r = await runMetric(infidelity, subject(layout), { normalize: false, noise: 0.1 });
      expect(r.value).toBeLessThan(1e-10);
    }
  });

  it('raw: mean (a − b)²; normalised: the best β removes a constant factor', async () => {
    // attribution 2 on R: a_i = 2·b_i with b_i = |R|·C·k_i = 9·k_i → raw = mean (9·k_i)²; β = ½ → 0
    const k = [0.01, -0.02, 0.03, 0.05];
    const s = { ...subject('NCHW'), map: plane(3, 3, (p) => (R.includes(p) ? 2 : 0)) };
    const metric = infidelityMetric(constant(k));
    const raw = await runMetric(metric, s, { samples: 4, normalize: false });
    expect(raw.value).toBeCloseTo(k.reduce((t, v) => t + (9 * v) ** 2, 0) / 4, 6); // x − I is float32
    const norm = await runMetric(metric, s, { samples: 4 });
    expect(norm.value).toBeLessThan(1e-10);
    expect(norm.details!.beta).toBeCloseTo(0.5, 5);
  });

  it('takes an input-space attribution in place of the map', async () => {
    // attribution 1 on channel 0 of R only: a_i = 3·k_i, b_i = 9·k_i → raw = mean (6·k_i)²
    const k = [0.1, -0.2];
    const s = subject('NCHW');
    const attribution = { data: new Float32Array(27), shape: [1, 3, 3, 3] };
    for (const p of R) attribution.data[p] = 1;
    const r = await runMetric(infidelityMetric(constant(k)), { ...s, attribution }, { samples: 2, normalize: false });
    expect(r.value).toBeCloseTo((36 * 0.01 + 36 * 0.04) / 2, 6);
  });

  it('is seeded: equal seeds give equal values whatever the chunking, other seeds other values', async () => {
    const s = { ...subject('NHWC'), map: plane(3, 3, (p) => p / 8) };
    const a = await runMetric(infidelity, { ...s, seed: 7 }, { maxExamplesPerBatch: 1 });
    const b = await runMetric(infidelity, { ...s, seed: 7 }, { maxExamplesPerBatch: 32 });
    const c = await runMetric(infidelity, { ...s, seed: 8 });
    expect(a.value).toBe(b.value);
    expect(c.value).not.toBe(a.value);
  });
});

describe('sensitivity-max (closed form)', () => {
  it('is max_i ‖Φ(x) − Φ(x + δ_i)‖ / ‖Φ(x)‖', async () => {
    // Φ(x) = map · (1 + mean(x − x₀)); with δ_i = k_i everywhere, the relative change is |k_i|
    const s = subject('NCHW');
    const mean0 = s.input.data.reduce((t, v) => t + v, 0) / 27;
    const explain = async (x: Tensor): Promise<Tensor> => {
      const m = x.data.reduce((t, v) => t + v, 0) / 27 - mean0;
      return { data: s.map.data.map((v) => v * (1 + m)), shape: [3, 3] };
    };
    const r = await runMetric(sensitivityMaxMetric(constant([0.01, -0.03, 0.02])), { ...s, explain }, { samples: 3 });
    expect(r.value).toBeCloseTo(0.03, 6);
    expect(r.details!.mean).toBeCloseTo(0.02, 6);
  });

  it("draws seeded noise in the L∞ ball of `radius` (Captum's default_perturb_func)", async () => {
    const s = subject('NHWC');
    const seen: Float32Array[] = [];
    const explain = async (x: Tensor): Promise<Tensor> => {
      seen.push(x.data.map((v, i) => v - s.input.data[i]!));
      return { data: x.data.subarray(0, 9), shape: [3, 3] };
    };
    const a = await runMetric(sensitivityMax, { ...s, explain, seed: 3 }, { radius: 0.5, samples: 20 });
    const dev = Math.max(...seen.flatMap((d) => Array.from(d, Math.abs)));
    expect(dev).toBeLessThanOrEqual(0.5 + 1e-6);
    expect(dev).toBeGreaterThan(0.45); // 540 uniform draws: the largest is near the radius
    expect((await runMetric(sensitivityMax, { ...s, explain, seed: 3 }, { radius: 0.5, samples: 20 })).value).toBe(
      a.value,
    );
    expect((await runMetric(sensitivityMax, { ...s, explain, seed: 4 }, { radius: 0.5, samples: 20 })).value).not.toBe(
      a.value,
    );
  });

  it('needs a way to re-explain', async () => {
    await expect(runMetric(sensitivityMax, subject('NCHW'))).rejects.toThrow(/re-explain/);
  });
});

describe('seeded draws', () => {
  it('gaussian: mean 0 and standard deviation σ (within 4 standard errors over 200 000 draws)', () => {
    const g = gaussianArray(200_000, 2, 11);
    const mean = g.reduce((t, v) => t + v, 0) / g.length;
    const sd = Math.sqrt(g.reduce((t, v) => t + (v - mean) ** 2, 0) / g.length);
    expect(Math.abs(mean)).toBeLessThan((4 * 2) / Math.sqrt(g.length));
    expect(Math.abs(sd - 2)).toBeLessThan((4 * 2) / Math.sqrt(2 * g.length));
  });

  it('uniform: within [lo, hi) with mean (lo + hi)/2', () => {
    const u = uniformArray(100_000, -0.02, 0.02, 5);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-0.02);
    expect(Math.max(...u)).toBeLessThan(0.02);
    const mean = u.reduce((t, v) => t + v, 0) / u.length;
    expect(Math.abs(mean)).toBeLessThan((4 * 0.04) / Math.sqrt(12 * u.length));
  });
});
