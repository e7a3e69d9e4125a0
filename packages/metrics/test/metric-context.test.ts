import { BadInputError, type Model, type Tensor } from '@gradscope/core';
import { describe, expect, it } from 'vitest';
import { defineMetric, metricContext, runMetric } from '../src/index.js';

/** logits = [Σx, −Σx] for each row of a `[N, 1, 2, 2]` input: closed-form scores. */
const linear = {
  name: 'linear',
  backend: 'test',
  capabilities: new Set(['batched-forward']),
  numClasses: 2,
  input: { name: 'x', shape: [-1, 1, 2, 2], layout: 'NCHW', height: 2, width: 2 },
  forward: async (x: Tensor): Promise<Tensor> => {
    const n = x.shape[0]!;
    const y = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const s = x.data.subarray(4 * i, 4 * i + 4).reduce((a, b) => a + b, 0);
      y.set([s, -s], 2 * i);
    }
    return { data: y, shape: [n, 2] };
  },
} as unknown as Model;

const img = (...v: number[]): Tensor => ({ data: Float32Array.from(v), shape: [v.length / 4, 1, 2, 2] });
const map: Tensor = { data: new Float32Array(4).fill(0.5), shape: [2, 2] };

describe('metricContext', () => {
  it('fixes the class to the top-1 of the original input and scores every row on it', async () => {
    const ctx = await metricContext({ model: linear, input: img(1, 1, 1, 0), map, target: { kind: 'class' } });
    expect(ctx.resolved.classIndex).toBe(0);
    expect(ctx.resolved.score).toBe(3);
    const y = await ctx.forwardBatch(img(1, 0, 0, 0, -5, 0, 0, 0)); // the 2nd row's own top-1 is class 1
    expect(Array.from(ctx.scores(y))).toEqual([1, -5]);
  });

  it('scores the softmax probability of the fixed class for a softmax target', async () => {
    const ctx = await metricContext({ model: linear, input: img(0, 0, 0, -1), map, target: { kind: 'softmax' } });
    expect(ctx.resolved.classIndex).toBe(1);
    const [p] = ctx.scores({ data: Float32Array.from([0.5, -0.5]), shape: [1, 2] });
    expect(p).toBeCloseTo(1 / (1 + Math.exp(1)), 6);
  });
});

describe('runMetric', () => {
  const needsMask = defineMetric({
    id: 'mask-sum',
    title: 'Mask sum',
    description: 'Σ mask (test metric).',
    higherIsBetter: null,
    needs: ['mask'],
    options: { scale: { type: 'number', default: 2, description: 'factor' } },
    compute: async (ctx, o) => ({ value: o.scale * ctx.mask!.data.reduce((a, b) => a + b, 0) }),
  });

  it('refuses a subject without what the metric needs, naming it', async () => {
    await expect(
      runMetric(needsMask, { model: linear, input: img(1, 1, 1, 1), map, target: { kind: 'class' } }),
    ).rejects.toThrow(BadInputError);
    await expect(
      runMetric(needsMask, { model: linear, input: img(1, 1, 1, 1), map, target: { kind: 'class' } }),
    ).rejects.toThrow(/'mask-sum' needs a ground-truth mask/);
  });

  it('fills option defaults and validates given options', async () => {
    const subject = { model: linear, input: img(1, 1, 1, 1), map, target: { kind: 'class' as const }, mask: map };
    expect((await runMetric(needsMask, subject)).value).toBe(4);
    expect((await runMetric(needsMask, subject, { scale: 1 })).value).toBe(2);
    await expect(runMetric(needsMask, subject, { nope: 1 })).rejects.toThrow(/unknown option/);
  });

  it('rejects an id that is not kebab-case', () => {
    expect(() => defineMetric({ ...needsMask, id: 'DropIn' })).toThrow(/kebab-case/);
  });
});

describe('builtinMetrics', () => {
  it("lists this package's metrics under their contracted ids, each once", async () => {
    const { builtinMetrics } = await import('../src/index.js');
    const ids = builtinMetrics.map((m) => m.id);
    for (const id of [
      'deletion-auc',
      'insertion-auc',
      'pointing-game',
      'energy-pointing-game',
      'iou',
      'infidelity',
      'sensitivity-max',
    ])
      expect(ids).toContain(id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
