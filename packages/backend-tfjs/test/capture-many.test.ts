import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { classTarget, topClass, type CaptureRequest, type LayerHook, type Tensor } from '@gradscope/core';
import { TfjsLayersModel, useTfjsBackend } from '../src/index.js';
import { randomTensor, smallCnn } from './helpers.js';

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
});
