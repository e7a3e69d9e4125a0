import { describe, expect, it } from 'vitest';
import {
  classTarget,
  createGradscope,
  negated,
  resolveOptions,
  BadOptionError,
  UnsupportedModelError,
  type Layout,
  type Tensor,
} from '@gradscope/core';
import { counterfactualGradcam, gradcam } from '../src/index.js';
import { fakeModel } from './fake-model.js';

const close = (got: ArrayLike<number>, want: readonly number[], digits = 6) => {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, digits));
};
const outer = (u: readonly number[], v: readonly number[]) => u.flatMap((a) => v.map((b) => a * b));
const t = (data: number[], shape: number[]): Tensor => ({ data: Float32Array.from(data), shape });

// feat: A_0 = [[1,0],[0,0]], A_1 = [[0,0],[0,2]]; class 0: G_0 ≡ [4,0,0,0] (mean 1), G_1 = [0,-1,0,0] (mean −¼);
// class 1: G_0 = 0, G_1 ≡ 1. logits = [4, 2] (+ Σ feat2 for class 0 when present).
const feat = {
  name: 'feat',
  activation: t([1, 0, 0, 0, 0, 0, 0, 2], [1, 2, 2, 2]),
  weights: Float32Array.from([4, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1]),
};
// feat2: one 4×4 channel A = 0..15 with G ≡ 1 for class 0, 0 for class 1.
const feat2 = {
  name: 'feat2',
  activation: t([...Array(16).keys()], [1, 1, 4, 4]),
  weights: Float32Array.from([...Array(16).fill(1), ...Array(16).fill(0)]),
};
const make = (layout: Layout = 'NCHW', layers = [feat]) =>
  fakeModel({ numClasses: 2, input: [1, 4, 4], layout, layers });
const x = t(Array(16).fill(0.5), [1, 1, 4, 4]);
const ctx = (m: ReturnType<typeof make>, target = classTarget(0), layers = ['feat']) => ({
  model: m,
  input: x,
  layers,
  target,
});

// Scaling [1,0,0,0] then resizing 2 → 4 (half-pixel) is separable: u ⊗ u with u = [1, .75, .25, 0].
const u = [1, 0.75, 0.25, 0];

describe('gradcam', () => {
  it('weights channels by the mean gradient: closed form for class 0', async () => {
    const m = make();
    const r = await gradcam.explain(ctx(m), {});
    close(r.raw.data, [1, 0, 0, -0.5]);
    expect(r.raw.shape).toEqual([2, 2]);
    expect(r.map.shape).toEqual([4, 4]);
    close(r.map.data, outer(u, u));
    expect(r.target.classIndex).toBe(0);
    expect(r.layers).toEqual(['feat']);
    expect(m.calls).toEqual([{ layers: ['feat'], gradients: true, inputGradient: false, targets: [classTarget(0)] }]);
    expect(m.disposed).toBe(1);
  });
  it('explains another class from its own gradient', async () => {
    const r = await gradcam.explain(ctx(make(), classTarget(1)), {});
    close(r.raw.data, [0, 0, 0, 2]);
    close(r.map.data, outer([...u].reverse(), [...u].reverse()));
  });
  it('reads the input size from an NHWC input', async () => {
    const m = make('NHWC');
    const r = await gradcam.explain({ ...ctx(m), input: t(Array(16).fill(0.5), [1, 4, 4, 1]) }, {});
    expect(r.map.shape).toEqual([4, 4]);
    close(r.map.data, outer(u, u));
  });
  it('counterfactual-gradcam negates the seed: raw = −raw, the map shows the other region', async () => {
    const m = make();
    const cf = await counterfactualGradcam.explain(ctx(m), {});
    expect(m.calls[0]!.targets).toEqual([negated(classTarget(0))]);
    expect(cf.target.negate).toBe(true);
    close(cf.raw.data, [-1, 0, 0, 0.5]);
    close(cf.map.data, outer([...u].reverse(), [...u].reverse()));
    const plain = await gradcam.explain(ctx(make(), negated(classTarget(0))), {});
    expect(Array.from(plain.map.data)).toEqual(Array.from(cf.map.data));
    expect(Array.from(plain.raw.data)).toEqual(Array.from(cf.raw.data));
    expect(m.disposed).toBe(1);
  });
  it('averages several layers (clip, mean, min-max) in one capture', async () => {
    const m = make('NCHW', [feat, feat2]);
    const r = await gradcam.explain(ctx(m, classTarget(0), ['feat', 'feat2']), {});
    expect(m.calls.length).toBe(1);
    expect(m.calls[0]!.layers).toEqual(['feat', 'feat2']);
    // per layer: u ⊗ u and A/15 (feat2 is at input size: no resize)
    const mean = outer(u, u).map((v, i) => (v + i / 15) / 2);
    const lo = Math.min(...mean),
      hi = Math.max(...mean);
    close(r.raw.data, mean);
    expect(r.raw.shape).toEqual([4, 4]);
    close(
      r.map.data,
      mean.map((v) => (v - lo) / (hi - lo)),
    );
    expect(r.layers).toEqual(['feat', 'feat2']);
  });
  it("runs through Gradscope's explain with the auto layer; declares only the smoothing options (counterfactual is its own method)", async () => {
    const gs = createGradscope({ methods: [gradcam, counterfactualGradcam] });
    const m = make('NCHW', [feat, feat2]);
    const e = await gs.explain(m, x, { method: 'counterfactual-gradcam', target: classTarget(1) });
    expect(e.layers).toEqual(['feat2']);
    expect(e.target.negate).toBe(true);
    expect(resolveOptions(gradcam, {})).toEqual({ eigenSmooth: false, augSmooth: false });
    await expect(gs.explain(m, x, { method: 'gradcam', options: { counterfactual: true } })).rejects.toThrow(
      BadOptionError,
    );
  });
  it('disposes the capture when it fails, and refuses a layer without a spatial output', async () => {
    const m = fakeModel({
      numClasses: 2,
      input: [1, 4, 4],
      layers: [{ name: 'flat', activation: t([1, 2], [1, 2]), weights: new Float32Array(4) }],
    });
    await expect(gradcam.explain({ ...ctx(m), layers: ['flat'] }, {})).rejects.toThrow(UnsupportedModelError);
    expect(m.disposed).toBe(1);
  });
});
