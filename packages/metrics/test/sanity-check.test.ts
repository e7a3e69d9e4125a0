import { describe, expect, it } from 'vitest';
import { isGradscopeError, type Model, type Target, type Tensor } from '@gradscope/core';
import { sanityCheck } from '../src/index.js';

/** A model whose logits are fixed (class 2 on top) and whose randomised copies are counted. */
function fakeModel(withRandomize = true) {
  const log: { randomized: string[][]; disposed: number } = { randomized: [], disposed: 0 };
  const base = {
    backend: 'fake',
    name: 'fake',
    input: { name: 'x', shape: [1, 8, 8, 1], layout: 'NHWC', height: 8, width: 8, channels: 1 },
    layers: [],
    numClasses: 3,
    capabilities: new Set(withRandomize ? ['randomize-weights'] : []),
    forward: async () => ({ data: Float32Array.from([0.1, 0.2, 0.9]), shape: [1, 3] }),
    capture: () => Promise.reject(new Error('unused')),
    dispose: () => void log.disposed++,
  };
  const model = {
    ...base,
    dispose: () => undefined,
    ...(withRandomize
      ? {
          randomized: async (layers: readonly string[]) => {
            log.randomized.push([...layers]);
            return { ...base, name: layers.join('+') } as unknown as Model;
          },
        }
      : {}),
  } as unknown as Model;
  return { model, log };
}

/** A 32×32 map that is a ramp on the trained model and its reverse on a randomised one. */
const explain = async (m: Model, _x: Tensor, t: Target): Promise<Tensor> => {
  expect(t).toEqual({ kind: 'class', index: 2 });
  const data = Float32Array.from({ length: 1024 }, (_, i) => (m.name === 'fake' ? i : 1023 - i) / 1023);
  return { data, shape: [32, 32] };
};
const input: Tensor = { data: new Float32Array(64), shape: [1, 8, 8, 1] };

describe('sanityCheck', () => {
  it('randomises cascading from the top (or one layer at a time), fixes the class, disposes every copy', async () => {
    const { model, log } = fakeModel();
    const r = await sanityCheck({
      model,
      input,
      target: { kind: 'class' },
      explain,
      layers: ['a', 'b', 'c'],
      mode: 'cascading',
      seed: 3,
    });
    expect(log.randomized).toEqual([['a'], ['a', 'b'], ['a', 'b', 'c']]);
    expect(log.disposed).toBe(3);
    expect(r.target).toEqual({ kind: 'class', index: 2 });
    expect(r.steps.every((s) => Number.isNaN(s.hog) && s.ssim < 0)).toBe(true); // HOG needs 48×48
    expect(r.steps.map((s) => [s.layer, s.spearman, s.spearmanAbs])).toEqual([
      ['a', -1, -1],
      ['b', -1, -1],
      ['c', -1, -1],
    ]);
    const ind = fakeModel();
    await sanityCheck({
      model: ind.model,
      input,
      target: { kind: 'class' },
      explain,
      layers: ['a', 'b'],
      mode: 'independent',
      seed: 3,
    });
    expect(ind.log.randomized).toEqual([['a'], ['b']]);
  });

  it("refuses a model without 'randomize-weights' (MissingCapabilityError) and an empty layer list", async () => {
    const bare = fakeModel(false).model;
    const e1 = await sanityCheck({
      model: bare,
      input,
      target: { kind: 'class' },
      explain,
      layers: ['a'],
      mode: 'cascading',
      seed: 0,
    }).catch((e: unknown) => e);
    expect(isGradscopeError(e1, 'missing-capability'), String(e1)).toBe(true);
    const e2 = await sanityCheck({
      model: fakeModel().model,
      input,
      target: { kind: 'class' },
      explain,
      layers: [],
      mode: 'cascading',
      seed: 0,
    }).catch((e: unknown) => e);
    expect(isGradscopeError(e2, 'bad-input'), String(e2)).toBe(true);
  });
});
