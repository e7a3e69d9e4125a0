import { describe, expect, it } from 'vitest';
import { classTarget, createGradscope, seededUniform, softmaxTarget, type Target } from '@gradscope/core';
import { builtinMethods } from '../src/index.js';
import { fakeModel } from './fake-model.js';

// A fake whose logits depend on `feat` only through its channel means: W_l[k, c·hw + i] = D[k, c]/hw,
// i.e. feat → global average pooling → dense D. Declaring the head switches Ablation-CAM to its closed
// form; without the declaration it re-runs the tail for every channel. Both must agree.
const [K, C, h, w] = [4, 6, 3, 3];
const hw = h * w;
function make(withHead: boolean, minZero: boolean, capabilities?: 'no-batch') {
  const u = seededUniform(5);
  const a = Float32Array.from({ length: C * hw }, () => (minZero ? Math.max(0, 2 * u() - 0.5) : 0.3 + u()));
  const D = Float32Array.from({ length: K * C }, () => 2 * u() - 1);
  const weights = new Float32Array(K * C * hw);
  for (let k = 0; k < K; k++)
    for (let c = 0; c < C; c++) weights.fill(D[k * C + c]! / hw, (k * C + c) * hw, (k * C + c + 1) * hw);
  const model = fakeModel({
    numClasses: K,
    input: [3, 4, 4],
    layers: [{ name: 'feat', activation: { data: a, shape: [1, C, h, w] }, weights }],
    ...(withHead ? { head: { featureLayer: 'feat', weights: { data: D, shape: [K, C] } } } : {}),
    ...(capabilities ? { capabilities: ['activations', 'run-from-layer'] as const } : {}),
  });
  let tails = 0;
  const tail = model.runFromLayer!.bind(model);
  model.runFromLayer = (x, l, act) => ((tails += act.shape[0]!), tail(x, l, act));
  return { model, tails: () => tails };
}
const x = { data: Float32Array.from({ length: 48 }, (_, i) => Math.cos(i)), shape: [1, 3, 4, 4] };
const gs = createGradscope({ methods: builtinMethods });

describe('ablationcam through a declared GAP → dense head', () => {
  it.each([
    [true, false, classTarget(1)],
    [false, false, classTarget(2)],
    [true, true, classTarget(0)],
    [false, true, softmaxTarget(3)],
    [false, true, { kind: 'rest', index: 1 } as Target],
    [true, false, { kind: 'class', index: 2, negate: true } as Target],
    [false, false, { kind: 'class' } as Target],
  ])('closed form == tail runs (ReLU-like layer %s, pgcCompatible %s, %j)', async (minZero, pgc, target) => {
    const run = async (withHead: boolean) => {
      const { model, tails } = make(withHead, minZero);
      const e = await gs.explain(model, x, {
        method: 'ablationcam',
        layer: 'feat',
        target,
        options: { pgcCompatible: pgc, batch: 4 },
      });
      return { raw: e.raw.data, tails: tails() };
    };
    const [fast, slow] = [await run(true), await run(false)];
    expect(fast.tails).toBe(1);
    expect(slow.tails).toBe(C);
    const scale = Math.max(...slow.raw.map(Math.abs));
    expect(scale).toBeGreaterThan(0);
    const err = Math.max(...fast.raw.map((v, i) => Math.abs(v - slow.raw[i]!)));
    expect(err / scale).toBeLessThan(minZero ? 1e-6 : 1e-5);
  });

  it("takes pytorch-grad-cam's batch position c mod batch even when the runtime runs one row at a time", async () => {
    const run = async (withHead: boolean, noBatch?: 'no-batch') => {
      const { model } = make(withHead, false, noBatch);
      const e = await gs.explain(model, x, {
        method: 'ablationcam',
        layer: 'feat',
        target: classTarget(1),
        options: { pgcCompatible: true, batch: 4 },
      });
      return e.raw.data;
    };
    const [batched, single] = [await run(false), await run(false, 'no-batch')];
    const err = Math.max(...batched.map((v, i) => Math.abs(v - single[i]!))) / Math.max(...batched.map(Math.abs));
    expect(err).toBeLessThan(1e-6);
  });
});
