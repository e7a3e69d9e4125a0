import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  classTarget,
  createGradscope,
  topClass,
  type CaptureRequest,
  type LayerHook,
  type Tensor,
} from '@gradscope/core';
import { builtinMethods } from '@gradscope/methods';
import { TfjsLayersModel, useTfjsBackend } from '../src/index.js';
import { randomTensor, relErr, smallCnn } from './helpers.js';

const req = (r: Partial<CaptureRequest>): CaptureRequest => ({
  layers: [],
  gradients: false,
  inputGradient: false,
  targets: [topClass()],
  ...r,
});

function expectSameHook(got: LayerHook, want: LayerHook) {
  const same = (a: Tensor | undefined, b: Tensor) => {
    expect(a!.shape).toEqual(b.shape);
    expect(Array.from(a!.data)).toEqual(Array.from(b.data));
  };
  same(got.logits, want.logits);
  expect(got.targets).toEqual(want.targets);
  expect([...got.activations.keys()]).toEqual([...want.activations.keys()]);
  for (const [k, t] of want.activations) same(got.activations.get(k), t);
  expect([...got.gradients.keys()]).toEqual([...want.gradients.keys()]);
  for (const [k, t] of want.gradients) same(got.gradients.get(k), t);
  expect(!!got.inputGradient).toBe(!!want.inputGradient);
  if (want.inputGradient) same(got.inputGradient, want.inputGradient);
}

describe('TfjsLayersModel.captureMany', () => {
  let model: TfjsLayersModel;
  let layer: string;
  beforeAll(async () => {
    await useTfjsBackend('wasm');
    model = await TfjsLayersModel.create(smallCnn());
    layer = model.layers.filter((l) => l.spatial).at(-1)!.name;
  });
  afterAll(() => model.dispose());

  it('merges the requests whose numbers do not change, and returns exactly what one capture per request returns', async () => {
    model.stackReluModes = false; // one taped pass per ReLU mode (the stacked pass is tested below)
    const x = randomTensor([1, 8, 8, 3], 21);
    const requests = [
      req({ inputGradient: true }),
      req({ layers: [layer], gradients: true, inputGradient: true }),
      req({ inputGradient: true }),
      req({ inputGradient: true, reluMode: 'guided' }),
      req({ layers: ['conv1'], targets: [classTarget(1)] }),
      req({ layers: [layer] }),
      req({ layers: [layer], gradients: true }),
      req({ layers: [layer], gradients: true, targets: [classTarget(2)] }),
      req({ layers: [layer], gradients: true }),
    ];
    const want = [];
    for (const r of requests) want.push(await model.capture(x, r));
    const spy = vi.spyOn(model, 'capture');
    const got = await model.captureMany(x, requests);
    // input gradients (standard, top-1) ×3; guided; activations ×2; layer gradients top-1 ×2; class 2
    expect(spy).toHaveBeenCalledTimes(5);
    spy.mockRestore();
    got.forEach((h, i) => expectSameHook(h, want[i]!));
    for (const h of got) h.dispose();
  });

  it('stacks Grad-CAM, guided backprop, deconvnet and saliency into ONE taped capture, equal to separate explains', async () => {
    model.stackReluModes = true;
    const gs = createGradscope({ methods: builtinMethods });
    const requests = ['gradcam', 'guided-backprop', 'deconvnet', 'saliency'].map((method) => ({ method, layer }));
    for (const n of [1, 2]) {
      const x = randomTensor([n, 8, 8, 3], 30 + n);
      for (let i = 0; i < n; i++) {
        const xi = { data: x.data.subarray(i * 192, (i + 1) * 192), shape: [1, 8, 8, 3] };
        const want = [];
        for (const r of requests) want.push(await gs.explain(model, xi, r));
        const spy = vi.spyOn(model, 'capture');
        const got = await gs.explainMany(model, xi, requests);
        expect(spy).toHaveBeenCalledTimes(1); // one taped forward of 3 rows (one per ReLU mode)
        expect(spy.mock.calls[0]![0].shape[0]).toBe(3);
        spy.mockRestore();
        got.forEach((e, j) => {
          expect(e.method).toBe(want[j]!.method);
          expect(e.target).toEqual(want[j]!.target);
          expect(relErr(e.raw.data, want[j]!.raw.data)).toBeLessThanOrEqual(1e-5);
          expect(relErr(e.map.data, want[j]!.map.data)).toBeLessThanOrEqual(1e-5);
        });
      }
      // a batch of images: each ReLU mode's block is the n images, targets per image
      const reqs: CaptureRequest[] = [
        req({ layers: [layer], gradients: true, targets: Array(n).fill(topClass()) }),
        ...(['guided', 'deconvnet', 'standard'] as const).map((reluMode) =>
          req({ inputGradient: true, reluMode, targets: Array(n).fill(topClass()) }),
        ),
      ];
      const want = [];
      for (const r of reqs) want.push(await model.capture(x, r));
      const spy = vi.spyOn(model, 'capture');
      const got = await model.captureMany(x, reqs);
      expect(spy).toHaveBeenCalledTimes(1);
      spy.mockRestore();
      got.forEach((h, j) => {
        const w = want[j]!;
        expect(h.targets).toEqual(w.targets);
        expect(h.logits.shape).toEqual(w.logits.shape);
        expect(relErr(h.logits.data, w.logits.data)).toBeLessThanOrEqual(1e-5);
        if (w.inputGradient) expect(relErr(h.inputGradient!.data, w.inputGradient.data)).toBeLessThanOrEqual(1e-5);
        for (const [k, t] of w.gradients) expect(relErr(h.gradients.get(k)!.data, t.data)).toBeLessThanOrEqual(1e-5);
        for (const [k, t] of w.activations)
          expect(relErr(h.activations.get(k)!.data, t.data)).toBeLessThanOrEqual(1e-5);
      });
      for (const h of got) h.dispose();
    }
    await gs.dispose();
  });

  it('leaks no tensors across stacked captures', async () => {
    model.stackReluModes = true;
    const gs = createGradscope({ methods: builtinMethods });
    const x = randomTensor([1, 8, 8, 3], 40);
    const requests = ['gradcam', 'guided-backprop', 'deconvnet', 'saliency'].map((method) => ({ method, layer }));
    await gs.explainMany(model, x, requests);
    const warm = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) await gs.explainMany(model, x, requests);
    expect(tf.memory().numTensors).toBe(warm);
    await gs.dispose();
  });
});
