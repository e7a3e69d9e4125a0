import { describe, expect, it } from 'vitest';
import {
  classTarget,
  createGradscope,
  defineMethod,
  isGradscopeError,
  resolveTarget,
  TargetCountError,
  type Capability,
  type CaptureRequest,
  type Explanation,
  type LayerHook,
  type Model,
  type Tensor,
} from '../src/index.js';

// a linear fake: feat = relu(x) (channels-first [N, 1, 2, 2]), logits = W·feat, K = 3 classes
const K = 3;
const W = [1, -2, 0.5, 3, -1, 0, 2, 1, 0.25, 4, -3, 1];
const image = (...v: number[]): Tensor => ({ data: Float32Array.from(v), shape: [1, 1, 2, 2] });
const IMAGES = [image(1, -2, 3, 0.5), image(-1, 2, 0.25, 4), image(2, 2, -1, 1)];

/** A batched fake backend that counts backend calls and the batch size of each. */
function fakeModel(opts: { fixedBatch?: boolean; caps?: Capability[] } = {}) {
  const seen = { calls: 0, batches: [] as number[], disposed: 0 };
  const captureOne = (x: Tensor, req: CaptureRequest): LayerHook => {
    const N = x.shape[0]!;
    if (req.targets.length !== N) throw new Error(`fake: ${req.targets.length} targets for ${N} images`);
    const feat = x.data.map((v) => Math.max(v, 0));
    const logits = new Float32Array(N * K);
    for (let n = 0; n < N; n++)
      for (let k = 0; k < K; k++) for (let i = 0; i < 4; i++) logits[n * K + k]! += W[k * 4 + i]! * feat[n * 4 + i]!;
    const targets = req.targets.map((t, n) => resolveTarget(t, logits.subarray(n * K, (n + 1) * K)));
    const grad = new Float32Array(N * 4);
    for (let n = 0; n < N; n++)
      for (let i = 0; i < 4; i++) {
        for (let k = 0; k < K; k++) grad[n * 4 + i]! += targets[n]!.seed[k]! * W[k * 4 + i]!;
        // guided: only positive gradients pass
        if (req.reluMode === 'guided') grad[n * 4 + i] = Math.max(grad[n * 4 + i]!, 0);
      }
    const shape = [N, 1, 2, 2];
    return {
      logits: { data: logits, shape: [N, K] },
      targets,
      activations: new Map([['feat', { data: feat, shape }]]),
      gradients: new Map(req.gradients ? [['feat', { data: grad, shape }]] : []),
      dispose: () => void seen.disposed++,
    };
  };
  const model: Model = {
    backend: 'fake',
    name: 'fake',
    numClasses: K,
    capabilities: new Set(opts.caps ?? ['activations', 'layer-gradients', 'guided-relu', 'batched-forward']),
    input: { name: 'x', shape: [opts.fixedBatch ? 1 : -1, 1, 2, 2], layout: 'NCHW', height: 2, width: 2, channels: 1 },
    layers: [{ name: 'feat', type: 'Relu', outputShape: [-1, 1, 2, 2], spatial: { height: 2, width: 2, channels: 1 } }],
    forward: async (x) => {
      const targets = Array.from({ length: x.shape[0]! }, () => ({ kind: 'class' as const }));
      return captureOne(x, { layers: [], gradients: false, inputGradient: false, targets }).logits;
    },
    capture: async (x, req) => {
      seen.calls++;
      seen.batches.push(x.shape[0]!);
      return captureOne(x, req);
    },
    captureMany: async (x, reqs) => {
      seen.calls++;
      seen.batches.push(x.shape[0]!);
      return reqs.map((r) => captureOne(x, r));
    },
    dispose: () => undefined,
  };
  return { model, seen };
}

/** grad ⊙ activation at `feat`, in either ReLU mode: enough to see every row land on its image. */
const method = (id: string, reluMode: 'standard' | 'guided') =>
  defineMethod({
    id,
    title: id,
    description: id,
    space: 'layer',
    usesLayers: true,
    requires: ['activations', 'layer-gradients'],
    options: {},
    explain: async (ctx) => {
      const hook = await ctx.model.capture(ctx.input, {
        layers: ctx.layers,
        gradients: true,
        inputGradient: false,
        reluMode,
        targets: [ctx.target],
      });
      const a = hook.activations.get('feat')!.data;
      const g = hook.gradients.get('feat')!.data;
      const raw = { data: a.map((v, i) => v * g[i]!), shape: [2, 2] };
      return { map: raw, raw, target: hook.targets[0]! };
    },
  });

const gs = createGradscope({ methods: [method('a', 'standard'), method('b', 'guided')] });
const numbers = (e: Explanation) => ({ method: e.method, raw: [...e.raw.data], target: e.target });
const alone = async (x: Tensor, m: string, target?: ReturnType<typeof classTarget>) =>
  numbers(await gs.explain(fakeModel().model, x, { method: m, layer: 'feat', ...(target ? { target } : {}) }));
const stacked = (): Tensor => ({
  data: Float32Array.from(IMAGES.flatMap((x) => [...x.data])),
  shape: [3, 1, 2, 2],
});

describe('explainBatch', () => {
  it('serves 3 images × 2 methods from ONE backend call of batch 3, each equal to explaining it alone', async () => {
    const { model, seen } = fakeModel();
    const got = await gs.explainBatchMany(model, stacked(), [
      { method: 'a', layer: 'feat' },
      { method: 'b', layer: 'feat' },
    ]);
    expect(seen.calls).toBe(1);
    expect(seen.batches).toEqual([3]);
    expect(seen.disposed).toBe(2);
    for (const [k, m] of ['a', 'b'].entries())
      for (const [i, x] of IMAGES.entries()) expect(numbers(got[k]![i]!)).toEqual(await alone(x, m));
  });

  it('takes one target per image, and a list of [1, …] tensors as the batch', async () => {
    const { model, seen } = fakeModel();
    const targets = [classTarget(2), classTarget(0), classTarget(1)];
    const got = await gs.explainBatch(model, IMAGES, { method: 'a', layer: 'feat', targets });
    expect(seen.batches).toEqual([3]);
    for (const [i, x] of IMAGES.entries()) expect(numbers(got[i]!)).toEqual(await alone(x, 'a', targets[i]));
  });

  it('explains one image for each of several targets in one batched capture', async () => {
    const { model, seen } = fakeModel();
    const targets = [classTarget(0), classTarget(1), classTarget(2)];
    const got = await gs.explainBatch(model, IMAGES[1]!, { method: 'b', layer: 'feat', targets });
    expect(seen.batches).toEqual([3]);
    expect(got.map((e) => e.target.classIndex)).toEqual([0, 1, 2]);
    for (const [j, t] of targets.entries()) expect(numbers(got[j]!)).toEqual(await alone(IMAGES[1]!, 'b', t));
  });

  it('gives a single `target` to every image', async () => {
    const { model } = fakeModel();
    const got = await gs.explainBatch(model, IMAGES, { method: 'a', layer: 'feat', target: classTarget(1) });
    expect(got.map((e) => e.target.classIndex)).toEqual([1, 1, 1]);
    for (const [i, x] of IMAGES.entries()) expect(numbers(got[i]!)).toEqual(await alone(x, 'a', classTarget(1)));
  });

  it('refuses targets that pair with neither the images nor one image, before any backend work', async () => {
    const { model, seen } = fakeModel();
    const err = await gs
      .explainBatch(model, IMAGES, { method: 'a', layer: 'feat', targets: [classTarget(0), classTarget(1)] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TargetCountError);
    expect(isGradscopeError(err) && err.code).toBe('bad-target');
    expect((err as TargetCountError).message).toMatch(/^2 target\(s\) given for a batch of 3 image\(s\)/);
    expect(err).toMatchObject({ images: 3, targets: 2 });
    expect(seen.calls).toBe(0);
    const none = await gs.explainBatch(model, IMAGES[0]!, { method: 'a', targets: [] }).catch((e: unknown) => e);
    expect(none).toMatchObject({ images: 1, targets: 0 });
    const both = { method: 'a', target: classTarget(0), targets: [classTarget(1)] };
    const twice = await gs.explainBatch(model, IMAGES[0]!, both).catch((e: unknown) => e);
    expect(isGradscopeError(twice) && twice.code).toBe('bad-target');
    expect(seen.calls).toBe(0);
  });

  it("lets the images' own model runs take turns, and reports progress per image", async () => {
    const { model } = fakeModel();
    let inFlight = 0,
      most = 0;
    const slow: Model = {
      ...model,
      forward: async (x) => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 2));
        inFlight--;
        return model.forward(x);
      },
    };
    const runs = defineMethod({
      ...method('runs', 'standard'),
      explain: async (ctx) => {
        const y = await ctx.forwardBatch({ data: ctx.input.data, shape: ctx.input.shape }, { batch: 1 });
        ctx.onProgress(1, 1);
        const raw = { data: y.data.slice(0, 4), shape: [2, 2] };
        return { map: raw, raw, target: resolveTarget(ctx.target, y.data) };
      },
    });
    const own = createGradscope({ methods: [runs] });
    const seen: number[] = [];
    const got = await own.explainBatch(slow, IMAGES, { method: 'runs', onProgress: (_d, _t, i) => seen.push(i) });
    expect(most).toBe(1);
    expect([...new Set(seen)].sort()).toEqual([0, 1, 2]);
    for (const [i, x] of IMAGES.entries())
      expect([...got[i]!.raw.data]).toEqual([...(await model.forward(x)).data.slice(0, 4)]);
  });

  it.each([
    ['a fixed batch of one', { fixedBatch: true }],
    ['no batched-forward', { caps: ['activations', 'layer-gradients', 'guided-relu'] as Capability[] }],
  ])('captures image by image on a model with %s, with the same numbers', async (_, opts) => {
    const { model, seen } = fakeModel(opts);
    const got = await gs.explainBatchMany(model, IMAGES, [
      { method: 'a', layer: 'feat' },
      { method: 'b', layer: 'feat' },
    ]);
    expect(seen.batches).toEqual([1, 1, 1]);
    for (const [k, m] of ['a', 'b'].entries())
      for (const [i, x] of IMAGES.entries()) expect(numbers(got[k]![i]!)).toEqual(await alone(x, m));
  });
});
