import {
  defineMethod,
  weightedChannelSum,
  UnsupportedModelError,
  type Method,
  type OptionValues,
  type Tensor,
} from '@gradscope/core';
import type { CamLayer, CamSpec } from './cam-spec.js';
import { combineLayerMaps, scaleCam } from './cam-pipeline.js';

/**
 * Builds a CAM-family method; a variant supplies only its weights (or map). The pipeline is
 * pytorch-grad-cam's: one capture of all target layers (layer gradients only when `requires` lists
 * them); per layer the raw map `Σ_c w_c·A_c`, ReLU, min-max scale, bilinear half-pixel resize to the
 * input size; several layers are clipped, averaged and re-scaled. `raw` is the unscaled `[h, w]` map
 * for one layer, or the unscaled `[H, W]` mean for several. The capture is disposed in `finally`.
 */
export function camMethod<O extends OptionValues>(spec: CamSpec<O>): Method<O> {
  const gradients = spec.requires.includes('layer-gradients');
  return defineMethod<O>({
    id: spec.id,
    title: spec.title,
    description: spec.description,
    space: 'layer',
    usesLayers: spec.layers === undefined,
    requires: spec.requires,
    options: spec.options,
    async explain(ctx, options) {
      const { model, input } = ctx;
      const names = spec.layers ? [...spec.layers(model)] : [...ctx.layers];
      const target = spec.target ? spec.target(ctx.target, options) : ctx.target;
      const [H, W] =
        model.input.layout === 'NCHW' ? [input.shape[2]!, input.shape[3]!] : [input.shape[1]!, input.shape[2]!];
      const hook = await model.capture(input, { layers: names, gradients, inputGradient: false, targets: [target] });
      try {
        const resolved = hook.targets[0]!;
        const perLayer = names.map((name) => {
          const a = layerTensor(hook.activations, name, 'activation', null);
          const [, C, h, w] = a.shape as [number, number, number, number];
          const l: CamLayer = {
            name,
            channels: C,
            height: h,
            width: w,
            target: resolved,
            model,
            activations: a.data.subarray(0, C * h * w),
            gradients: gradients
              ? layerTensor(hook.gradients, name, 'gradient', a.shape).data.subarray(0, C * h * w)
              : null,
          };
          const raw = spec.map
            ? checked(spec.map(l, options), h * w, 'map values')
            : weightedChannelSum(l.activations, checked(spec.weights(l, options), C, 'weights'));
          return { raw: { data: raw, shape: [h, w] }, map: scaleCam(raw, h, w, H, W) };
        });
        const combined = perLayer.length > 1 ? combineLayerMaps(perLayer.map((p) => p.map)) : null;
        return {
          map: { data: combined ? combined.map : perLayer[0]!.map, shape: [H, W] },
          raw: combined ? { data: combined.mean, shape: [H, W] } : perLayer[0]!.raw,
          target: resolved,
          layers: names,
        };
      } finally {
        hook.dispose();
      }
    },
  });
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

function checked(v: Float32Array, n: number, what: string): Float32Array {
  if (v.length !== n) throw new RangeError(`a CAM variant returned ${v.length} ${what}, expected ${n}`);
  return v;
}
