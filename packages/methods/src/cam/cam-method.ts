import {
  defineMethod,
  UnsupportedModelError,
  withSubject,
  type ExplainContext,
  type Method,
  type MethodResult,
  type OptionSpecs,
  type OptionValues,
  type Tensor,
} from '@gradscope/core';
import { AUGMENTATIONS, augment, unflipMap } from './aug-smooth.js';
import type { CamLayer, CamSpec } from './cam-spec.js';
import { combineLayerMaps, scaleCam } from './cam-pipeline.js';
import { camRaw } from './cam-raw.js';
import { fixedTarget } from '../perturbation/scores.js';

/** The smoothing options every CAM method gets (eigen smoothing only where it has a meaning). */
export type CamSmoothing = { eigenSmooth?: boolean; augSmooth: boolean };

const AUG_SMOOTH = {
  type: 'boolean',
  default: false,
  description: 'Average the maps of six augmented inputs ({identity, flip} × {0.9, 1, 1.1}), as aug_smooth.',
} as const;
const EIGEN_SMOOTH = {
  type: 'boolean',
  default: false,
  description: 'Replace the channel sum by the first principal component of the weighted activations (eigen_smooth).',
} as const;

/**
 * Builds a CAM-family method; a variant supplies only its weights, element-wise product or map. The
 * pipeline is pytorch-grad-cam's: one capture of all target layers (layer gradients only when
 * `requires` lists them); per layer the raw map (`Σ_c w_c·A_c`, or the variant's), ReLU, min-max
 * scale, bilinear half-pixel resize to the input size; then, for one layer as for several, the maps
 * are clipped, averaged and min-max scaled again (`aggregate_multi_layers`). Every CAM method gets
 * `augSmooth` and, unless it supplies its own map, `eigenSmooth`. `raw` is the unscaled `[h, w]`
 * map for one layer, or the unscaled `[H, W]` mean for several. Captures are disposed in `finally`.
 */
export function camMethod<O extends OptionValues>(spec: CamSpec<O>): Method<O & CamSmoothing> {
  const gradients = spec.requires.includes('layer-gradients');
  const options = {
    ...spec.options,
    ...(spec.map ? {} : { eigenSmooth: EIGEN_SMOOTH }),
    augSmooth: AUG_SMOOTH,
  } as unknown as OptionSpecs<O & CamSmoothing>;
  const once = (ctx: ExplainContext, o: O & CamSmoothing, input: Tensor) => camOnce(spec, gradients, ctx, o, input);
  return defineMethod<O & CamSmoothing>({
    id: spec.id,
    title: spec.title,
    description: spec.description,
    space: 'layer',
    usesLayers: spec.layers === undefined,
    requires: spec.requires,
    options,
    async explain(ctx, o) {
      if (!o.augSmooth) return once(ctx, o, ctx.input);
      // aug_smooth: the mean of the de-augmented maps, NOT re-normalised (pytorch-grad-cam's choice)
      const { layout } = ctx.model.input;
      let first: MethodResult | null = null;
      let sum: Float32Array | null = null;
      for (const { flip, factor } of AUGMENTATIONS) {
        const r = await once(ctx, o, augment(ctx.input, layout, flip, factor));
        const [H, W] = r.map.shape as [number, number];
        const m = flip ? unflipMap(r.map.data, H, W) : r.map.data;
        sum ??= new Float32Array(m.length);
        for (let i = 0; i < m.length; i++) sum[i] = sum[i]! + m[i]! / AUGMENTATIONS.length;
        if (!flip && factor === 1) first = r;
      }
      return { ...first!, map: { data: sum!, shape: [...first!.map.shape] } };
    },
  });
}

async function camOnce<O extends OptionValues>(
  spec: CamSpec<O>,
  gradients: boolean,
  ctx: ExplainContext,
  o: O & CamSmoothing,
  input: Tensor,
): Promise<MethodResult> {
  const { model } = ctx;
  const names = spec.layers ? [...spec.layers(model)] : [...ctx.layers];
  const target = spec.target ? spec.target(ctx.target, o) : ctx.target;
  const [H, W] =
    model.input.layout === 'NCHW' ? [input.shape[2]!, input.shape[3]!] : [input.shape[1]!, input.shape[2]!];
  const hessianVector = spec.requires.includes('hessian-vector');
  const hook = await model.capture(input, {
    layers: names,
    gradients,
    inputGradient: false,
    targets: [target],
    ...(hessianVector ? { hessianVector } : {}),
  });
  try {
    const resolved = hook.targets[0]!;
    // the class is fixed at the unmodified logits: re-runs (masked inputs, ablations) score that class
    const context = withSubject(ctx, { input, target: fixedTarget(target, resolved) });
    const perLayer: { raw: Tensor; map: Float32Array }[] = [];
    for (const name of names) {
      const a = layerTensor(hook.activations, name, 'activation', null);
      const [, C, h, w] = a.shape as [number, number, number, number];
      const l: CamLayer = {
        name,
        channels: C,
        height: h,
        width: w,
        target: resolved,
        model,
        context,
        activations: a.data.subarray(0, C * h * w),
        gradients: gradients
          ? layerTensor(hook.gradients, name, 'gradient', a.shape).data.subarray(0, C * h * w)
          : null,
        hessianVector: hessianVector
          ? layerTensor(hook.hessianVectors ?? new Map(), name, 'Hessian-vector product', a.shape).data.subarray(
              0,
              C * h * w,
            )
          : null,
      };
      const raw = await camRaw(spec, l, o, o.eigenSmooth === true);
      perLayer.push({ raw: { data: raw, shape: [h, w] }, map: scaleCam(raw, h, w, H, W) });
    }
    // step 6 runs for one layer too (pytorch-grad-cam's aggregate_multi_layers): the resized map is
    // scaled again, since bilinear interpolation moved its min and max
    const combined = combineLayerMaps(perLayer.map((p) => p.map));
    return {
      map: { data: combined.map, shape: [H, W] },
      raw: perLayer.length > 1 ? { data: combined.mean, shape: [H, W] } : perLayer[0]!.raw,
      target: resolved,
      layers: names,
    };
  } finally {
    hook.dispose();
  }
}

function layerTensor(
  m: ReadonlyMap<string, Tensor>,
  name: string,
  what: string,
  like: readonly number[] | null,
): Tensor {
  const t = m.get(name);
  if (!t) throw new Error(`the backend captured no ${what} for layer '${name}'`);
  if (like && t.shape.join() !== like.join())
    throw new Error(`layer '${name}': ${what} shape [${t.shape.join(', ')}] differs from [${like.join(', ')}]`);
  if (t.shape.length !== 4)
    throw new UnsupportedModelError(
      `layer '${name}' has no spatial output (shape [${t.shape.join(', ')}]); a CAM needs a convolutional feature map`,
    );
  return t;
}
