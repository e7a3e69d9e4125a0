import { attributionMagnitude, defineMethod, resolveOptions, type Layout, type Tensor } from '@gradscope/core';
import { gradcam } from '../cam/gradcam.js';
import { guidedBackprop } from './guided-backprop.js';

/** `x ⊙ m` per channel: an input-layout tensor `[1, …]` times an `[H, W]` map. */
function timesMap(x: Tensor, m: Float32Array, layout: Layout): Tensor {
  const out = new Float32Array(x.data.length);
  const C = layout === 'NCHW' ? x.shape[1]! : x.shape[3]!;
  const hw = m.length;
  for (let i = 0; i < out.length; i++) out[i] = x.data[i]! * m[layout === 'NCHW' ? i % hw : Math.floor(i / C)]!;
  return { data: out, shape: [...x.shape] };
}

/**
 * Guided Grad-CAM: guided backpropagation masked by the Grad-CAM map, fine detail that is also
 * class-discriminative. Composes the `guided-backprop` and `gradcam` descriptors (two captures).
 *
 * Formula: `raw_c(i, j) = GB_c(i, j) · camMap(i, j)` for every input channel c, with `camMap` Grad-CAM's
 * `[H, W]` map in [0, 1] at input resolution (several layers combined as Grad-CAM does);
 * `map(i, j) = max_c |raw_c(i, j)| / max(…)`.
 *
 * Deviations: none in `raw` from pytorch-grad-cam's example (`cam_mask * gb`, before
 * `deprocess_image`, which the renderer applies for display).
 *
 * Output: `map` `[H, W]` in [0, 1]; `raw` in the model's input layout `[1, …]`; `layers` = Grad-CAM's.
 *
 * Paper: Selvaraju et al., "Grad-CAM", ICCV 2017, §3.1, https://arxiv.org/abs/1610.02391
 */
export const guidedGradcam = defineMethod<Record<string, never>>({
  id: 'guided-gradcam',
  title: 'Guided Grad-CAM',
  description: 'Guided backpropagation multiplied by the Grad-CAM map.',
  space: 'input',
  usesLayers: true,
  requires: [...new Set([...gradcam.requires, ...guidedBackprop.requires])],
  options: {},
  async explain(ctx) {
    const camResult = await gradcam.explain(ctx, resolveOptions(gradcam, {}));
    const gb = await guidedBackprop.explain({ ...ctx, layers: [] }, resolveOptions(guidedBackprop, {}));
    const raw = timesMap(gb.raw, camResult.map.data, ctx.model.input.layout);
    return {
      map: attributionMagnitude(raw, ctx.model.input.layout),
      raw,
      target: camResult.target,
      layers: camResult.layers,
    };
  },
});
