import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classTarget, decodeNpy, type Layout, type Tensor } from '@gradscope/core';
import { gradcam } from '../src/index.js';
import { fakeModel } from './fake-model.js';

// Goldens from scripts/make-cam-goldens.py: pytorch-grad-cam's GradCAM pipeline in NumPy float32 + OpenCV.
const npy = (name: string): Tensor =>
  decodeNpy(new Uint8Array(readFileSync(new URL(`fixtures/${name}.npy`, import.meta.url))));
const [a1, g1, a2, g2] = ['a1', 'g1', 'a2', 'g2'].map(npy) as [Tensor, Tensor, Tensor, Tensor];
const H = 20,
  W = 15;
// class 0's logit weights ARE the gradients, so ∂y_0/∂A = g; class 1's are zero.
const layer = (name: string, a: Tensor, g: Tensor) => ({
  name,
  activation: a,
  weights: Float32Array.from([...g.data, ...new Float32Array(g.data.length)]),
});
const make = (layout: Layout) =>
  fakeModel({ numClasses: 2, layout, input: [3, H, W], layers: [layer('layer1', a1, g1), layer('layer2', a2, g2)] });
const input = (layout: Layout): Tensor => ({
  data: new Float32Array(3 * H * W),
  shape: layout === 'NCHW' ? [1, 3, H, W] : [1, H, W, 3],
});
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
};

describe.each(['NCHW', 'NHWC'] as const)('gradcam against the pytorch-grad-cam pipeline (%s input)', (layout) => {
  it('one layer: raw map and scaled, resized map', async () => {
    const r = await gradcam.explain(
      { model: make(layout), input: input(layout), layers: ['layer1'], target: classTarget(0) },
      {},
    );
    expect(r.raw.shape).toEqual([7, 5]);
    expect(maxAbsDiff(r.raw.data, npy('gradcam-layer1-raw').data)).toBeLessThan(1e-6);
    expect(r.map.shape).toEqual([H, W]);
    expect(maxAbsDiff(r.map.data, npy('gradcam-layer1-map').data)).toBeLessThan(1e-6);
  });
  it('two layers of different resolutions: aggregate_multi_layers', async () => {
    const r = await gradcam.explain(
      { model: make(layout), input: input(layout), layers: ['layer1', 'layer2'], target: classTarget(0) },
      {},
    );
    expect(maxAbsDiff(r.map.data, npy('gradcam-both-map').data)).toBeLessThan(1e-6);
  });
});
