import { describe, expect, it } from 'vitest';
import {
  CAPABILITIES,
  classTarget,
  createGradscope,
  seedTarget,
  MissingCapabilityError,
  UnsupportedModelError,
  type Tensor,
} from '@gradscope/core';
import { cam, gradcam } from '../src/index.js';
import { fakeModel } from './fake-model.js';

const close = (got: ArrayLike<number>, want: readonly number[], digits = 6) => {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, digits));
};
const t = (data: number[], shape: number[]): Tensor => ({ data: Float32Array.from(data), shape });

// A conv → GAP → dense network: logits_k = Σ_c Wh[k, c] · mean_ij A_c, written as the fake's per-element weights Wh[k, c] / (h·w).
const Wh = [
  [2, -1],
  [0.5, 1],
  [-1, -1],
];
const A = t([1, 0, 0, 0, 0, 0, 0, 2], [1, 2, 2, 2]);
const gapWeights = Float32Array.from(Wh.flatMap((row) => row.flatMap((w) => Array(4).fill(w / 4))));
const head = { featureLayer: 'feat', weights: t(Wh.flat(), [3, 2]) };
const make = (withHead = true, caps: readonly string[] = CAPABILITIES) =>
  fakeModel({
    numClasses: 3,
    input: [1, 4, 4],
    layers: [{ name: 'feat', activation: A, weights: gapWeights }],
    head: withHead ? head : undefined,
    capabilities: caps as never,
  });
const x = t(Array(16).fill(1), [1, 1, 4, 4]);
const u = [1, 0.75, 0.25, 0];
const outer = (p: readonly number[], q: readonly number[]) => p.flatMap((a) => q.map((b) => a * b));

describe('cam', () => {
  it('weights the head layer by the dense weights of the top class, without gradients', async () => {
    // pooled A = [.25, .5] → logits [0, .625, −.75] → class 1; cam = .5·A_0 + 1·A_1
    const m = make();
    const r = await cam.explain({ model: m, input: x, layers: [], target: classTarget(1) }, {});
    close(r.raw.data, [0.5, 0, 0, 2]);
    // scaled [[.25, 0], [0, 1]]; the resize is linear: .25·(u ⊗ u) + (ū ⊗ ū), ū = u reversed
    const ur = [...u].reverse();
    close(
      r.map.data,
      outer(u, u).map((v, i) => 0.25 * v + outer(ur, ur)[i]!),
    );
    expect(r.layers).toEqual(['feat']);
    expect(m.calls).toEqual([{ layers: ['feat'], gradients: false, inputGradient: false, targets: [classTarget(1)] }]);
    expect(m.disposed).toBe(1);
  });
  it("uses the top class by default and reports the head's layer through explain()", async () => {
    const e = await createGradscope({ methods: [cam] }).explain(make(), x, { method: 'cam' });
    expect(e.target.classIndex).toBe(1);
    expect(e.layers).toEqual(['feat']);
    close(e.raw.data, [0.5, 0, 0, 2]);
  });
  it('equals Grad-CAM on a GAP → dense head (Grad-CAM generalises CAM)', async () => {
    for (const k of [0, 1, 2]) {
      const ctx = { model: make(), input: x, layers: ['feat'], target: classTarget(k) };
      const a = await cam.explain(ctx, {});
      const g = await gradcam.explain(ctx, {});
      close(
        g.raw.data,
        Array.from(a.raw.data, (v) => v / 4),
      );
      close(g.map.data, Array.from(a.map.data), 5);
    }
  });
  it('combines the rows of the head by the seed for seed targets', async () => {
    const r = await cam.explain({ model: make(), input: x, layers: [], target: seedTarget([1, -1, 0]) }, {});
    close(r.raw.data, [1.5, 0, 0, -4]);
  });
  it('refuses a model without a linear head before capturing', async () => {
    const m = make(false);
    await expect(cam.explain({ model: m, input: x, layers: [], target: classTarget(0) }, {})).rejects.toThrow(
      UnsupportedModelError,
    );
    expect(m.calls.length).toBe(0);
    const gs = createGradscope({ methods: [cam] });
    const noCap = make(
      true,
      CAPABILITIES.filter((k) => k !== 'linear-head'),
    );
    await expect(gs.explain(noCap, x, { method: 'cam' })).rejects.toThrow(MissingCapabilityError);
    expect(noCap.calls.length).toBe(0);
  });
  it('refuses a head whose width does not match the feature layer', async () => {
    const m = fakeModel({
      numClasses: 3,
      input: [1, 4, 4],
      layers: [{ name: 'feat', activation: A, weights: gapWeights }],
      head: { featureLayer: 'feat', weights: t(Array(9).fill(1), [3, 3]) },
    });
    await expect(cam.explain({ model: m, input: x, layers: [], target: classTarget(0) }, {})).rejects.toThrow(
      /weights \[3, 3\]/,
    );
    expect(m.disposed).toBe(1);
  });
});
