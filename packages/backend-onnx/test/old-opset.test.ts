import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classTarget, createGradscope, type Gradscope } from '@gradscope/core';
import { builtinMethods } from '@gradscope/methods';
import { decodeModel, encodeModel, num } from '@gradscope/onnx-proto';
import { buildBackward, createOnnxBackend, type OnnxGraph, type OnnxModel } from '../src/index.js';
import { compare, fixtureBytes, meta, npy, runtimes } from './helpers.js';

/**
 * One small CNN exported by torch 1.13 at opsets 7, 8, 9 and 10 (scripts/make-old-opset-fixtures.py:
 * BatchNorm, MaxPool, constant Pad, ReLU6 as Clip, nearest Upsample/Resize, Slice, AvgPool, Flatten,
 * Gemm) against the same torch-autograd goldens: logits, the `mid` activation and gradient,
 * Grad-CAM, and saliency / guided / deconvnet input gradients, with the tolerances of golden.test.ts.
 */
const OPSETS = [7, 8, 9, 10] as const;
const INPUT_METHODS = [
  ['saliency', 'saliency.npy'],
  ['guided-backprop', 'guided.npy'],
  ['deconvnet', 'deconvnet.npy'],
] as const;
const closeGradient = (got: ArrayLike<number>, want: ArrayLike<number>) => {
  const c = compare(got, want);
  return c.rel <= 1e-3 || c.cos >= 0.9999 ? null : c;
};

describe('old-opset fixtures', () => {
  it.each(OPSETS)('old_opset%i imports its opset and has the old forms', (opset) => {
    const m = decodeModel(fixtureBytes(`old_opset${opset}`));
    expect(m.opsetImport.filter((o) => !o.domain).map((o) => num(o.version))).toEqual([opset]);
    const ops = new Set(m.graph!.node!.map((n) => n.opType));
    for (const op of ['BatchNormalization', 'MaxPool', 'Pad', 'Clip', 'Slice', 'Gemm', 'Flatten'])
      expect(ops).toContain(op);
    expect(ops).toContain(opset < 10 ? 'Upsample' : 'Resize');
  });
});

describe('the derived graph of an old-opset model', () => {
  it.each(OPSETS)(
    'opset %i: gradients are built on the opset-11 form (16 for MaxPool); forward keeps the model',
    async (opset) => {
      const model = await createOnnxBackend({ ort: runtimes.node }).load(fixtureBytes(`old_opset${opset}`));
      try {
        const parts = (model as unknown as { parts: { graph: OnnxGraph; facts: never; rules: never } }).parts;
        expect(parts.graph.opset).toBe(opset);
        const ops = (nodes: readonly { opType?: string | null }[]) => new Set(nodes.map((n) => n.opType));
        const forward = ops(parts.graph.nodeProtos());
        expect(forward).toContain(opset < 10 ? 'Upsample' : 'Resize');
        const req = { layers: [], gradients: false, inputGradient: true, reluMode: 'standard' } as const;
        const full = buildBackward(parts.graph, parts.facts, parts.rules, req);
        // the input gradient crosses the MaxPool: ScatterElements(add) needs opset 16
        expect(full.stats.opset).toBe(16);
        expect(full.stats.rulesUsed).toEqual(expect.arrayContaining(['Clip', 'Pad', 'Resize', 'Slice', 'MaxPool']));
        const derived = ops(full.model.graph!.node!);
        expect(derived.has('Upsample')).toBe(false);
        const cam = buildBackward(parts.graph, parts.facts, parts.rules, {
          ...req,
          layers: [model.tensorFor('mid')],
          gradients: true,
          inputGradient: false,
        });
        expect(cam.stats.opset).toBe(11); // nothing between `mid` and the logits needs more
        // onnxruntime accepts both derived models
        for (const m of [full.model, cam.model])
          await (await runtimes.node.InferenceSession.create(encodeModel(m))).release();
      } finally {
        await model.dispose();
      }
    },
  );
});

// onnxruntime-node runs every opset, onnxruntime-web the two ends
const RUNS = [...OPSETS.map((o) => ['node', o] as const), ['web', 7] as const, ['web', 10] as const];
for (const [rt, opset] of RUNS) {
  const name = `old_opset${opset}`;
  describe(`${name} on onnxruntime-${rt} against torch`, () => {
    const mt = meta(name);
    const x = npy(name, 'input.npy');
    let gs: Gradscope;
    let model: OnnxModel;
    beforeAll(async () => {
      gs = createGradscope({ methods: builtinMethods });
      model = await createOnnxBackend({ ort: runtimes[rt] }).load(fixtureBytes(name));
    });
    afterAll(async () => {
      await model.dispose();
      gs.dispose();
    });

    it('forward logits equal torch (max-abs < 1e-4)', async () => {
      const logits = await model.forward(x);
      expect(compare(logits.data, npy(name, 'logits.npy').data).maxAbs).toBeLessThan(1e-4);
    });

    it(`captures logits, ${mt.layer} activation and gradient like torch`, async () => {
      const hook = await model.capture(x, {
        layers: [mt.layer],
        gradients: true,
        inputGradient: false,
        targets: [{ kind: 'class' }],
      });
      expect(hook.targets[0]!.classIndex).toBe(mt.class);
      expect(compare(hook.logits.data, npy(name, 'logits.npy').data).maxAbs).toBeLessThan(1e-4);
      const a = hook.activations.get(mt.layer)!;
      expect(a.shape).toEqual([1, ...mt.actShape]);
      expect(compare(a.data, npy(name, 'act.npy').data).rel).toBeLessThan(1e-4);
      expect(closeGradient(hook.gradients.get(mt.layer)!.data, npy(name, 'grad.npy').data)).toBeNull();
    });

    it('Grad-CAM through @gradscope/methods matches the torch map (max-abs ≤ 1e-4)', async () => {
      const e = await gs.explain(model, x, { method: 'gradcam', layer: mt.layer });
      expect(e.target.classIndex).toBe(mt.class);
      expect(compare(e.map.data, npy(name, 'gradcam.npy').data).maxAbs).toBeLessThanOrEqual(1e-4);
    });

    for (const [method, file] of INPUT_METHODS) {
      it(`${method} input gradient matches torch (rel ≤ 1e-3 or cosine ≥ 0.9999)`, async () => {
        const e = await gs.explain(model, x, { method, target: classTarget(mt.class) });
        expect(e.raw.shape).toEqual([1, 3, mt.size, mt.size]);
        expect(closeGradient(e.raw.data, npy(name, file).data)).toBeNull();
      });
    }
  });
}
