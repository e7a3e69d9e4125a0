import { describe, expect, it } from 'vitest';
import { classTarget, createGradscope, seededUniform, type Tensor } from '@gradscope/core';
import { builtinMethods } from '../src/index.js';
import { fakeModel } from './fake-model.js';

// A fake with closed forms: logits = W·vec(A) + V·vec(relu(x)) with A [3, 2, 2] (all ≥ 1, or one entry 0
// with `zeroMin`); class 1's weights are negative, so its score s0 is negative.
const K = 3;
function make(zeroMin: boolean) {
  const u = seededUniform(11);
  const r = () => 2 * u() - 1;
  const a = Float32Array.from({ length: 12 }, () => 1 + u());
  if (zeroMin) a[5] = 0;
  const w = Float32Array.from({ length: K * 12 }, r);
  for (let i = 0; i < 12; i++) w[12 + i] = -Math.abs(w[12 + i]!) - 0.5;
  const V = Float32Array.from({ length: K * 48 }, (_, i) => 0.01 * r() * (i < 48 || i >= 96 ? 1 : 0));
  const model = fakeModel({
    numClasses: K,
    input: [3, 4, 4],
    inputWeights: V,
    layers: [{ name: 'feat', activation: { data: a, shape: [1, 3, 2, 2] }, weights: w }],
  });
  return { model, a, w };
}
const x: Tensor = { data: Float32Array.from({ length: 48 }, (_, i) => Math.sin(i)), shape: [1, 3, 4, 4] };
const gs = createGradscope({ methods: builtinMethods });

describe('ablationcam against its closed form on a linear fake (negative s0)', () => {
  it.each([
    [true, false],
    [false, false],
    [false, true],
    [true, true],
  ])('zero minimum %s, pgcCompatible %s', async (zeroMin, pgc) => {
    const { model, a, w } = make(zeroMin);
    const e = await gs.explain(model, x, {
      method: 'ablationcam',
      layer: 'feat',
      target: classTarget(1),
      options: { pgcCompatible: pgc, batch: 2 },
    });
    const s0 = Math.fround(e.target.score);
    expect(s0).toBeLessThan(0);
    const mn = Math.min(...a);
    // pytorch-grad-cam: row i of a chunk of 2 gets min − (i+1)·1e7; gradscope: min − 1e7 for every channel
    const value = (c: number) => {
      if (mn === 0) return 0;
      let v = mn;
      for (let i = 0; i <= (pgc ? c % 2 : 0); i++) v = Math.fround(v - 1e7);
      return v;
    };
    // s0 − s_c = Σ_ij W[1, c, ij]·(A[c, ij] − v_c)
    const weights = [0, 1, 2].map((c) => {
      let drop = 0;
      for (let i = 0; i < 4; i++) drop += w[12 + c * 4 + i]! * (a[c * 4 + i]! - value(c));
      return drop / (pgc ? s0 : Math.abs(s0));
    });
    const raw = [0, 1, 2, 3].map((i) => weights.reduce((s, wc, c) => s + wc * a[c * 4 + i]!, 0));
    const err = Math.max(...raw.map((v, i) => Math.abs(v - e.raw.data[i]!))) / Math.max(...raw.map(Math.abs));
    expect(err).toBeLessThan(1e-5);
  });
});

describe('integrated-gradients', () => {
  it('reports a completeness gap that shrinks with more steps on a piecewise-linear fake', async () => {
    const { model } = make(false);
    const gap = async (steps: number) => {
      const e = await gs.explain(model, x, {
        method: 'integrated-gradients',
        target: classTarget(0),
        options: { steps, baseline: -1 },
      });
      return Math.abs(e.metadata!['completenessGap'] as number) / Math.abs(e.metadata!['scoreDelta'] as number);
    };
    const [g4, g64] = [await gap(4), await gap(64)];
    expect(g64).toBeLessThan(g4);
    expect(g4).toBeGreaterThan(1e-4); // the path from −1 crosses the ReLU kinks: not exact
    expect(g64).toBeLessThan(2e-2);
  });
});

describe("integrated-gradients' baseline", () => {
  it("takes 'zero' as the number 0 and any other number as a constant image", async () => {
    const { model } = make(false);
    const run = (baseline: number | string) =>
      gs.explain(model, x, { method: 'integrated-gradients', target: classTarget(0), options: { steps: 8, baseline } });
    const [zero, num, half] = [await run('zero'), await run(0), await run(0.5)];
    expect(zero.raw.data).toEqual(num.raw.data);
    expect(zero.metadata).toEqual(num.metadata);
    expect(half.raw.data).not.toEqual(num.raw.data);
    // x − b is a factor of every attribution: where x equals the baseline the attribution is 0
    const y = { data: x.data.map((v, i) => (i % 5 ? v : 0.5)), shape: x.shape };
    const e = await gs.explain(model, y, { method: 'integrated-gradients', options: { steps: 8, baseline: 0.5 } });
    for (let i = 0; i < 48; i += 5) expect(Math.abs(e.raw.data[i]!)).toBe(0);
    expect(e.raw.data.some((v, i) => i % 5 && v !== 0)).toBe(true);
    await expect(run('one')).rejects.toThrow(/expected a number or zero/);
  });
});
