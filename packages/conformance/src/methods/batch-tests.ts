import { expect, it } from 'vitest';
import {
  canStack,
  missingCapabilities,
  type ExplainRequest,
  type CaptureRequest,
  type Explanation,
  type Method,
  type Model,
  type Tensor,
} from '@gradscope/core';
import { mismatch } from '../compare.js';
import type { MethodContext } from './method-context.js';

/** Gradient CAMs, an input-space gradient method and a perturbation method. */
const BATCHED = ['gradcam', 'guided-backprop', 'gradcam-plusplus', 'layercam', 'scorecam'];
const TOL = 1e-5;
const WITHIN = { maxAbs: TOL };

/** `model`, counting its backend captures and the batch size of each. */
function counted(model: Model) {
  const batches: number[] = [];
  const wrapped = new Proxy(model, {
    get(target, prop) {
      const v: unknown = Reflect.get(target, prop, target);
      if (typeof v !== 'function') return v;
      const f = (v as (...a: unknown[]) => unknown).bind(target);
      if (prop !== 'capture' && prop !== 'captureMany') return f;
      return (x: Tensor, r: CaptureRequest | CaptureRequest[]) => (batches.push(x.shape[0]!), f(x, r));
    },
  });
  return { model: wrapped, batches };
}

const same = (got: Explanation, want: Explanation, what: string) => {
  expect(got.target.classIndex, what).toBe(want.target.classIndex);
  expect(got.layers, what).toEqual(want.layers);
  expect(mismatch(got.map, want.map, WITHIN, `${what} map`)).toBeNull();
  expect(mismatch(got.raw, want.raw, WITHIN, `${what} raw`)).toBeNull();
};

/**
 * Batches: `explainBatchMany` of the batch inputs gives, per image, what `explain` gives for that
 * image alone (≤ 1e-5) for gradient CAMs, guided backprop and Score-CAM, with the captures of all
 * images and methods in ONE backend call on a model that takes any batch; and one image explained
 * for several targets equals one `explain` per target.
 */
export function batchTests(ctx: MethodContext, methods: readonly Method<any>[], everyMethod = true): void {
  const { m, fx, caps } = ctx;
  const runnable = BATCHED.map((id) => methods.find((x) => x.id === id)).filter(
    (x): x is Method<any> => !!x && missingCapabilities(x, caps).length === 0,
  );
  if (!runnable.length) return;
  const requests = (): ExplainRequest[] =>
    runnable.map((x) => ({ method: x.id, ...(x.usesLayers ? { layer: ctx.layer(m.head.featureLayer) } : {}) }));

  it(`explains the batch inputs with ${runnable.map((x) => x.id).join(', ')} as each image alone (≤ ${TOL})`, async () => {
    const inputs = m.batch.inputs.map((id) => fx.input(id, ctx.model.input.layout));
    const { model, batches } = counted(ctx.model);
    const got = await ctx.gs.explainBatchMany(model, inputs, requests());
    // every capture of the batch has all its images: one backend call with captureMany (else one per
    // distinct request); image by image on a model with a fixed batch of one
    if (!canStack(ctx.model)) expect(batches.every((b) => b === 1)).toBe(true);
    else if (ctx.model.captureMany) expect(batches).toEqual([inputs.length]);
    else expect(batches.every((b) => b === inputs.length)).toBe(true);
    for (const [k, req] of requests().entries())
      for (const [i, x] of inputs.entries()) {
        const alone = await ctx.gs.explain(ctx.model, x, req);
        same(got[k]![i]!, alone, `${req.method} on ${m.batch.inputs[i]}`);
      }
  });

  // every other method the model runs, once per backend (on the first fixture): the pool's stacking
  // must not change a number whatever a method captures (Hessian-vector products, bias gradients, …)
  const others = methods.filter(
    (x) =>
      everyMethod && !BATCHED.includes(x.id) && missingCapabilities(x, caps).length === 0 && fx.name === 'tiny-cnn',
  );
  if (others.length)
    it(`explains two batch inputs with every other runnable method as each image alone (≤ ${TOL})`, async () => {
      const inputs = m.batch.inputs.slice(0, 2).map((id) => fx.input(id, ctx.model.input.layout));
      const runs = others.filter((x) => ctx.droppedFor(x).length === 0);
      const reqs: ExplainRequest[] = runs.map((x) => ({
        method: x.id,
        ...(x.usesLayers ? { layer: ctx.layer(m.head.featureLayer) } : {}),
      }));
      const got = await ctx.gs.explainBatchMany(ctx.model, inputs, reqs);
      for (const [k, req] of reqs.entries())
        for (const [i, x] of inputs.entries())
          same(got[k]![i]!, await ctx.gs.explain(ctx.model, x, req), `${req.method} on ${m.batch.inputs[i]}`);
    });

  it('explains one image for several targets as one explain per target', async () => {
    const x = fx.input('x0', ctx.model.input.layout);
    const classes = [0, 1, 2].filter((c) => c < m.numClasses);
    const targets = classes.map((c) => ({ kind: 'class' as const, index: c }));
    const [req] = requests();
    const got = await ctx.gs.explainBatch(ctx.model, x, { ...req!, targets });
    expect(got.map((e) => e.target.classIndex)).toEqual(classes);
    for (const [j, target] of targets.entries())
      same(got[j]!, await ctx.gs.explain(ctx.model, x, { ...req!, target }), `${req!.method} for class ${j}`);
  });
}
