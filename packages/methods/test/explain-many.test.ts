import { describe, expect, it } from 'vitest';
import {
  classTarget,
  coalescingModel,
  createGradscope,
  type CaptureRequest,
  type Explanation,
  type Model,
  type Tensor,
} from '@gradscope/core';
import { builtinMethods } from '../src/index.js';
import { fakeModel, type FakeModel } from './fake-model.js';

const t = (data: number[], shape: number[]): Tensor => ({ data: Float32Array.from(data), shape });
const x = t([0.5, -1, 2, 0.25, -0.5, 1, 3, -2], [1, 2, 2, 2]);
const make = () =>
  fakeModel({
    numClasses: 2,
    input: [2, 2, 2],
    layers: [
      {
        name: 'feat',
        activation: t([1, 0, 2, 0, 0, 3, 0, 1], [1, 2, 2, 2]),
        weights: Float32Array.from([4, 0, -1, 2, 0, 1, 3, 0, 0, 2, 0, 1, 1, -1, 0, 2]),
      },
    ],
    inputWeights: Float32Array.from([2, 5, -1, -3, 0.5, 4, -2, 1, 1, 0, 2, -1, 3, 0, 1, 2]),
  });

/**
 * Counts forward passes as a backend would run them: one per `forward`, one per `capture`, and one
 * per `captureMany` (which serves all its requests from one forward with several backward branches).
 */
function counted(inner: FakeModel, many: boolean) {
  const seen = { forwards: 0, batches: [] as CaptureRequest[][] };
  const model: Model = {
    ...inner,
    forward: (v) => (seen.forwards++, inner.forward(v)),
    capture: (v, r) => (seen.forwards++, inner.capture(v, r)),
    ...(many && {
      captureMany: async (v: Tensor, rs: readonly CaptureRequest[]) => {
        seen.forwards++;
        seen.batches.push([...rs]);
        return Promise.all(rs.map((r) => inner.capture(v, r)));
      },
    }),
  };
  return { model, seen };
}

const FOUR = ['gradcam', 'guided-backprop', 'deconvnet', 'saliency'];
const requests = (ids: readonly string[]) => ids.map((method) => ({ method, layer: 'feat', target: classTarget(1) }));
const numbers = (e: Explanation) => ({
  method: e.method,
  map: [...e.map.data],
  raw: [...e.raw.data],
  target: e.target,
  layers: e.layers,
});

describe('explainMany', () => {
  const gs = createGradscope({ methods: builtinMethods });
  const oneByOne = async (ids: readonly string[]) => {
    const out = [];
    for (const r of requests(ids)) out.push(numbers(await gs.explain(make(), x, r)));
    return out;
  };

  it('serves gradcam, guided-backprop, deconvnet and saliency from one forward, with the same numbers', async () => {
    const fake = make();
    const { model, seen } = counted(fake, true);
    const got = await gs.explainMany(model, x, requests(FOUR));
    expect(seen.forwards).toBe(1);
    expect(seen.batches.map((b) => b.map((r) => r.reluMode ?? 'standard'))).toEqual([
      ['standard', 'guided', 'deconvnet', 'standard'],
    ]);
    expect(got.map(numbers)).toEqual(await oneByOne(FOUR));
    expect(fake.disposed).toBe(4);
  });

  it("serves guided-gradcam's two captures from the ones gradcam and guided-backprop asked for", async () => {
    const ids = [...FOUR, 'guided-gradcam'];
    const { model, seen } = counted(make(), true);
    const got = await gs.explainMany(model, x, requests(ids));
    expect(seen.forwards).toBe(1);
    expect(seen.batches[0]).toHaveLength(4);
    expect(got.map(numbers)).toEqual(await oneByOne(ids));
  });

  it('falls back to one capture per distinct request when the backend has no captureMany', async () => {
    const ids = [...FOUR, 'guided-gradcam', 'gradcam'];
    const fake = make();
    const { model, seen } = counted(fake, false);
    const got = await gs.explainMany(model, x, requests(ids));
    expect(seen.forwards).toBe(4);
    expect(fake.calls).toHaveLength(4);
    expect(got.map(numbers)).toEqual(await oneByOne(ids));
    expect(fake.disposed).toBe(4);
  });

  it('checks every request before any capture reaches the backend', async () => {
    const { model, seen } = counted(make(), true);
    await expect(gs.explainMany(model, x, [...requests(FOUR), { method: 'no-such-method' }])).rejects.toThrow(
      /no-such-method/,
    );
    await expect(
      gs.explainMany(model, x, [...requests(FOUR), { method: 'gradcam', layer: 'missing' }]),
    ).rejects.toThrow(/missing/);
    await new Promise((r) => setTimeout(r, 5));
    expect(seen.forwards).toBe(0);
  });

  it('gives every caller its own tensors, and disposes the backend hooks on close', async () => {
    const fake = make();
    const pool = coalescingModel(fake);
    const req: CaptureRequest = { layers: ['feat'], gradients: true, inputGradient: false, targets: [classTarget(0)] };
    const [a, b] = await Promise.all([pool.model.capture(x, req), pool.model.capture(x, { ...req })]);
    expect(pool.backendCalls()).toBe(1);
    expect(a!.activations.get('feat')!.data).toEqual(b!.activations.get('feat')!.data);
    expect(a!.activations.get('feat')!.data).not.toBe(b!.activations.get('feat')!.data);
    a!.dispose();
    expect(fake.disposed).toBe(0);
    pool.close();
    expect(fake.disposed).toBe(1);
    await expect(pool.model.capture(x, req)).rejects.toThrow(/ended/);
  });
});
