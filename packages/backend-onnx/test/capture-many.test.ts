import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  classTarget,
  createGradscope,
  negated,
  softmaxTarget,
  topClass,
  type CaptureRequest,
  type LayerHook,
  type Tensor,
} from '@gradscope/core';
import { builtinMethods } from '@gradscope/methods';
import { createOnnxBackend, type OnnxModel } from '../src/index.js';
import { compare, countingRuntime, fixtureBytes, npy, runtimes } from './helpers.js';

const req = (r: Partial<CaptureRequest>): CaptureRequest => ({
  layers: [],
  gradients: false,
  inputGradient: false,
  targets: [topClass()],
  ...r,
});

/** Every tensor of `got` equals the one `want` holds, to float32 rounding of a differently scheduled graph. */
function expectSameHook(got: LayerHook, want: LayerHook) {
  const same = (a: Tensor, b: Tensor) => {
    expect(a.shape).toEqual(b.shape);
    const c = compare(a.data, b.data);
    expect(c.maxAbs).toBeLessThanOrEqual(1e-5 * Math.max(1, ...Array.from(b.data, Math.abs)));
  };
  same(got.logits, want.logits);
  expect(got.targets).toEqual(want.targets);
  expect([...got.activations.keys()]).toEqual([...want.activations.keys()]);
  for (const [k, t] of want.activations) same(got.activations.get(k)!, t);
  expect([...got.gradients.keys()]).toEqual([...want.gradients.keys()]);
  for (const [k, t] of want.gradients) same(got.gradients.get(k)!, t);
  expect(!!got.inputGradient).toBe(!!want.inputGradient);
  if (want.inputGradient) same(got.inputGradient!, want.inputGradient);
}

describe.each(['resnet18', 'mobilenet_v2'])('OnnxModel.captureMany on %s (onnxruntime-node)', (name) => {
  const x = npy(name, 'input.npy');
  const rt = countingRuntime(runtimes.node);
  let model: OnnxModel;
  let layer: string;
  beforeAll(async () => {
    model = await createOnnxBackend({ ort: rt.ort }).load(fixtureBytes(name));
    layer = model.layers.filter((l) => l.spatial).at(-1)!.name;
  });
  afterAll(() => model.dispose());

  const requests = (): CaptureRequest[] => [
    req({ layers: [layer], gradients: true }),
    req({ inputGradient: true, reluMode: 'guided' }),
    req({ inputGradient: true, reluMode: 'deconvnet' }),
    req({ inputGradient: true }),
    req({ layers: [model.layers[3]!.name], targets: [classTarget(3)] }),
    req({ layers: [layer], gradients: true, inputGradient: true, targets: [negated(classTarget(2))] }),
    req({ layers: [layer], gradients: true, targets: [classTarget(2)] }),
  ];

  it('returns what one capture per request returns, from ONE session.run of one derived session', async () => {
    const want = [];
    for (const r of requests()) want.push(await model.capture(x, r));
    const before = { ...rt.counts };
    const got = await model.captureMany(x, requests());
    expect(rt.counts.runs - before.runs).toBe(1);
    expect(rt.counts.created - before.created).toBe(1);
    got.forEach((h, i) => expectSameHook(h, want[i]!));
    const again = { ...rt.counts };
    await model.captureMany(x, requests());
    expect(rt.counts.created - again.created).toBe(0);
    expect(rt.counts.runs - again.runs).toBe(1);
  });

  it('resolves logit-dependent targets (softmax) with one forward first', async () => {
    const rs = [req({ layers: [layer], gradients: true, targets: [softmaxTarget()] }), req({ inputGradient: true })];
    const want = [await model.capture(x, rs[0]!), await model.capture(x, rs[1]!)];
    const before = rt.counts.runs;
    const got = await model.captureMany(x, rs);
    expect(rt.counts.runs - before).toBe(2);
    got.forEach((h, i) => expectSameHook(h, want[i]!));
  });
});

describe('Gradscope.explainMany on onnxruntime-node (resnet18)', () => {
  const x = npy('resnet18', 'input.npy');
  const rt = countingRuntime(runtimes.node);
  const gs = createGradscope({ methods: builtinMethods });
  let model: OnnxModel;
  beforeAll(async () => {
    model = await createOnnxBackend({ ort: rt.ort }).load(fixtureBytes('resnet18'));
  });
  afterAll(async () => {
    await model.dispose();
    await gs.dispose();
  });

  it('runs gradcam, guided-backprop, deconvnet, saliency and guided-gradcam in one forward with the same maps', async () => {
    const ids = ['gradcam', 'guided-backprop', 'deconvnet', 'saliency', 'guided-gradcam'];
    const before = { ...rt.counts };
    const many = await gs.explainMany(
      model,
      x,
      ids.map((method) => ({ method })),
    );
    expect(rt.counts.runs - before.runs).toBe(1);
    expect(rt.counts.created - before.created).toBe(1);
    expect(model.cache.keys().filter((k) => k.startsWith('many|'))).toHaveLength(1);
    for (const [i, method] of ids.entries()) {
      const one = await gs.explain(model, x, { method });
      expect(many[i]!.method).toBe(method);
      expect(many[i]!.target).toEqual(one.target);
      expect(many[i]!.layers).toEqual(one.layers);
      expect(compare(many[i]!.map.data, one.map.data).maxAbs).toBeLessThan(1e-5);
      expect(compare(many[i]!.raw.data, one.raw.data).cos).toBeGreaterThan(1 - 1e-6);
    }
  });
});
