import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  classTarget,
  createGradscope,
  decodeNpy,
  isGradscopeError,
  regionTarget,
  topClass,
  type Gradscope,
  type Method,
  type Model,
  type Target,
  type Tensor,
} from '@gradscope/core';
import { closeness } from './compare.js';
import { fixtureDir } from './fixture-path.js';
import type { BackendSetup } from './setup.js';
import { errorOf } from './setup.js';

/** The segmentation fixture (scripts/make-segmentation-fixture.py): class planes [N, 4, 8, 8]. */
export const SEGMENTATION_FIXTURE = 'tiny-seg';
const [K, h, w] = [4, 8, 8];
const CATEGORY = 2;
const LAYER = 'relu2';

const npy = (rel: string): Tensor => decodeNpy(readFileSync(join(fixtureDir(SEGMENTATION_FIXTURE), rel)));

/** NCHW → NHWC for a channels-last model's input. */
function inLayout(x: Tensor, layout: Model['input']['layout']): Tensor {
  if (layout === 'NCHW') return x;
  const [n, c, hh, ww] = x.shape as [number, number, number, number];
  const out = new Float32Array(x.data.length);
  for (let b = 0; b < n; b++)
    for (let k = 0; k < c; k++)
      for (let p = 0; p < hh * ww; p++) out[(b * hh * ww + p) * c + k] = x.data[(b * c + k) * hh * ww + p]!;
  return { data: out, shape: [n, hh, ww, c] };
}

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => closeness(a, b).maxAbs;

/**
 * A segmentation model (class planes, no flatten) on a backend: loaded with `numClasses` K and
 * `outputShape` [K, H, W]; its region target (pytorch-grad-cam's `SemanticSegmentationTarget`: class
 * c's logits summed over a mask) captured and explained with Grad-CAM as torch autograd computed it;
 * targets that need one logit per class refused with a BadTargetError naming the output shape.
 * `setup.loadFixture` must load `tiny-seg` in the backend's format (`fixturePath('tiny-seg', …)`).
 */
export function describeSegmentation(label: string, setup: BackendSetup, methods: readonly Method<any>[]): void {
  describe(`${label}: segmentation outputs (${SEGMENTATION_FIXTURE})`, () => {
    let model: Model;
    let gs: Gradscope;
    const mask = npy('mask.npy');
    const region = (): Target => regionTarget(CATEGORY, mask.data, [h, w]);
    const x = () => inLayout(npy('inputs/x0.npy'), model.input.layout);
    beforeAll(async () => {
      model = await setup.loadFixture(SEGMENTATION_FIXTURE);
      gs = createGradscope({ methods });
    });
    afterAll(async () => {
      await gs?.dispose();
      await model?.dispose();
    });

    it('loads [N, K, H, W] class planes: numClasses K, outputShape [K, H, W], forward channels-first', async () => {
      expect(model.numClasses).toBe(K);
      expect(model.outputShape).toEqual([K, h, w]);
      const y = await model.forward(x());
      expect(y.shape).toEqual([1, K, h, w]);
      expect(maxAbs(y.data, npy('golden/logits.npy').data)).toBeLessThan(1e-4);
    });

    it('captures the layer gradient of a region target as torch autograd does', async () => {
      const hook = await model.capture(x(), {
        layers: [LAYER],
        gradients: true,
        inputGradient: false,
        targets: [region()],
      });
      try {
        const g = hook.gradients.get(LAYER)!;
        const ref = npy('golden/relu2-gradient.npy');
        expect(g.shape).toEqual(ref.shape);
        const scale = Math.max(...Array.from(ref.data, Math.abs));
        expect(scale).toBeGreaterThan(1e-3);
        expect(maxAbs(g.data, ref.data)).toBeLessThan(1e-4 * scale);
        expect(maxAbs(hook.activations.get(LAYER)!.data, npy('golden/relu2-activation.npy').data)).toBeLessThan(1e-4);
        expect(hook.targets[0]!.classIndex).toBe(CATEGORY);
      } finally {
        hook.dispose();
      }
    });

    it('explains a region with Grad-CAM as pytorch-grad-cam does (torch golden)', async () => {
      const e = await gs.explain(model, x(), { method: 'gradcam', layer: LAYER, target: region() });
      expect(e.map.shape).toEqual([16, 16]);
      expect(maxAbs(e.raw.data, npy('golden/gradcam-raw.npy').data)).toBeLessThan(1e-4);
      expect(maxAbs(e.map.data, npy('golden/gradcam.npy').data)).toBeLessThan(1e-4);
    });

    it.each([
      ['a class target', classTarget(0)],
      ['the top-1 class', topClass()],
    ])('refuses %s with a BadTargetError naming the output shape', async (_name, target) => {
      const e = await errorOf(() => gs.explain(model, x(), { method: 'gradcam', layer: LAYER, target }));
      expect(isGradscopeError(e, 'bad-target')).toBe(true);
      expect((e as Error).message).toContain(`[N, ${K}, ${h}, ${w}]`);
      expect((e as Error).message).toContain('regionTarget');
    });

    it('refuses a region mask that is not at the class planes’ resolution', async () => {
      const e = await errorOf(() =>
        model.capture(x(), {
          layers: [LAYER],
          gradients: true,
          inputGradient: false,
          targets: [regionTarget(CATEGORY, new Float32Array(4 * 16), [4, 16])],
        }),
      );
      expect(isGradscopeError(e, 'bad-target')).toBe(true);
      expect((e as Error).message).toContain(`[${h}, ${w}]`);
    });
  });
}
