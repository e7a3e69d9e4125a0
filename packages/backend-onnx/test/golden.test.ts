import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classTarget, createGradscope, type Gradscope } from '@gradscope/core';
import { builtinMethods } from '@gradscope/methods';
import { createOnnxBackend, type OnnxModel } from '../src/index.js';
import { decodeModel, num } from '@gradscope/onnx-proto';
import { compare, fixtureBytes, meta, npy, runtimes } from './helpers.js';

/**
 * Width-reduced torchvision classifiers (scripts/make-fixtures.py) against torch autograd:
 * logits, the target layer's activation and gradient, Grad-CAM (through @gradscope/methods and
 * core's explain), saliency, guided backprop and deconvnet input gradients. resnet18_nofold is
 * resnet18 exported with TrainingMode.PRESERVE, so its BatchNorms stay BatchNormalization nodes.
 */
const MODELS = [
  'resnet18',
  'mobilenet_v2',
  'vgg',
  'squeezenet',
  'densenet',
  'efficientnet',
  'mobilenet_v3',
  'convnext',
  'convnext_op17',
  'shufflenet',
  'shufflenet_op11',
  'googlenet',
  'regnet',
  'resnet50',
  'mobilenet_v3_small',
  'mobilenet_v3_large',
  'resnet18_nofold',
];
const INPUT_METHODS = [
  ['saliency', 'saliency.npy'],
  ['guided-backprop', 'guided.npy'],
  ['deconvnet', 'deconvnet.npy'],
] as const;

const closeGradient = (got: ArrayLike<number>, want: ArrayLike<number>) => {
  const c = compare(got, want);
  return c.rel <= 1e-3 || c.cos >= 0.9999 ? null : c;
};

describe('fixture exports', () => {
  for (const name of MODELS) {
    it(`${name} is exported at opset ${meta(name).opset}`, () => {
      const m = decodeModel(fixtureBytes(name));
      expect(m.opsetImport.filter((o) => !o.domain).map((o) => num(o.version))).toEqual([meta(name).opset]);
    });
  }

  it('resnet18_nofold keeps all 20 BatchNorms as BatchNormalization nodes; resnet18 has them folded', () => {
    const count = (name: string) =>
      decodeModel(fixtureBytes(name)).graph!.node!.filter((n) => n.opType === 'BatchNormalization').length;
    expect(count('resnet18_nofold')).toBe(20);
    expect(count('resnet18')).toBe(0);
  });
});

for (const rt of ['node', 'web'] as const) {
  // ort-web is slower: it runs the two main fixtures, ort-node all of them.
  const models = rt === 'node' ? MODELS : ['resnet18', 'mobilenet_v2', 'convnext'];
  describe(`torchvision goldens on onnxruntime-${rt}`, () => {
    let gs: Gradscope;
    beforeAll(() => {
      gs = createGradscope({ methods: builtinMethods });
    });
    afterAll(() => gs.dispose());

    for (const name of models) {
      describe(name, () => {
        const mt = meta(name);
        const x = npy(name, 'input.npy');
        let model: OnnxModel;
        beforeAll(async () => {
          model = await createOnnxBackend({ ort: runtimes[rt] }).load(fixtureBytes(name));
        });
        afterAll(() => model.dispose());

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
  });
}
