import { describe, expect, it } from 'vitest';
import { classTarget, type Layout, type Tensor } from '@gradscope/core';
import { deconvnet, guidedBackprop, guidedGradcam, saliency } from '../src/index.js';
import { fakeModel } from './fake-model.js';

const close = (got: ArrayLike<number>, want: readonly number[], digits = 6) => {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, digits));
};

// Input 2 channels × 1 × 3, logits_0 = V_0 · relu(x), so ∂y_0/∂x = [x > 0] ⊙ V_0 with ReLU rules applied.
// The same flat numbers are read as NCHW [1,2,1,3] or NHWC [1,1,3,2].
const xData = [1, -1, 2, 0.5, 3, -2];
const V0 = [2, 5, -1, -3, 0.5, 4];
const make = (layout: Layout, feat?: number[]) =>
  fakeModel({
    numClasses: 2,
    layout,
    input: [2, 1, 3],
    inputWeights: Float32Array.from([...V0, 0, 0, 0, 0, 0, 0]),
    layers: feat
      ? [
          {
            name: 'feat',
            activation: { data: Float32Array.from(feat), shape: [1, 1, 1, 3] },
            weights: Float32Array.from([1, 1, 1, 0, 0, 0]),
          },
        ]
      : [],
  });
const input = (layout: Layout): Tensor => ({
  data: Float32Array.from(xData),
  shape: layout === 'NCHW' ? [1, 2, 1, 3] : [1, 1, 3, 2],
});

// raw: standard [x>0]·g; guided [x>0]·[g>0]·g; deconvnet relu(g). map: max_c |raw| per pixel / max.
const table = [
  { method: saliency, mode: 'standard', raw: [2, 0, -1, -3, 0.5, 0], nchw: [1, 1 / 6, 1 / 3], nhwc: [2 / 3, 1, 1 / 6] },
  { method: guidedBackprop, mode: 'guided', raw: [2, 0, 0, 0, 0.5, 0], nchw: [1, 0.25, 0], nhwc: [1, 0, 0.25] },
  { method: deconvnet, mode: 'deconvnet', raw: [2, 5, 0, 0, 0.5, 4], nchw: [0.4, 1, 0.8], nhwc: [1, 0, 0.8] },
] as const;

describe.each(table)('$method.id', ({ method, mode, raw, nchw, nhwc }) => {
  it.each(['NCHW', 'NHWC'] as const)(
    'returns the input gradient under the %s layout with ReLU mode ' + mode,
    async (layout) => {
      const m = make(layout);
      const r = await method.explain({ model: m, input: input(layout), layers: [], target: classTarget(0) }, {});
      expect(m.calls).toEqual([
        { layers: [], gradients: false, inputGradient: true, reluMode: mode, targets: [classTarget(0)] },
      ]);
      expect(m.disposed).toBe(1);
      expect(r.raw.shape).toEqual(input(layout).shape);
      close(r.raw.data, raw);
      expect(r.map.shape).toEqual([1, 3]);
      close(r.map.data, layout === 'NCHW' ? nchw : nhwc);
      expect(r.target.classIndex).toBe(0);
    },
  );
});

describe('guided-gradcam', () => {
  it('multiplies every channel of guided backprop by the Grad-CAM map (NCHW)', async () => {
    // Grad-CAM: A = [3, 2, 1], w = 1 → map [1, .5, 0]; guided raw [2,0,0 | 0,.5,0] → [2,0,0 | 0,.25,0]
    const m = make('NCHW', [3, 2, 1]);
    const r = await guidedGradcam.explain(
      { model: m, input: input('NCHW'), layers: ['feat'], target: classTarget(0) },
      {},
    );
    close(r.raw.data, [2, 0, 0, 0, 0.25, 0]);
    close(r.map.data, [1, 0.125, 0]);
    expect(r.layers).toEqual(['feat']);
    expect(m.calls.map((c) => [c.gradients, c.inputGradient, c.reluMode ?? 'standard'])).toEqual([
      [true, false, 'standard'],
      [false, true, 'guided'],
    ]);
    expect(m.disposed).toBe(2);
  });
  it('broadcasts the map over the channel axis of an NHWC input', async () => {
    // map [1, 0, .5]; guided raw per pixel (2,0) (0,0) (.5,0) → (2,0) (0,0) (.25,0)
    const r = await guidedGradcam.explain(
      { model: make('NHWC', [3, 1, 2]), input: input('NHWC'), layers: ['feat'], target: classTarget(0) },
      {},
    );
    close(r.raw.data, [2, 0, 0, 0, 0.25, 0]);
    close(r.map.data, [1, 0, 0.125]);
  });
});
