import { defineMethod, minMaxScale, resolveOptions, type Method } from '@gradscope/core';
import { eigencam } from './eigencam.js';
import { gradcamElementwise } from './gradcam-elementwise.js';
import { gradcamPlusPlus } from './gradcam-plusplus.js';
import { gradcam } from './gradcam.js';
import { hirescam } from './hirescam.js';
import { layercam } from './layercam.js';
import { xgradcam } from './xgradcam.js';

/** The CAM methods Refine-CAM can run per layer, by id. */
const BASES: Readonly<Record<string, Method<any>>> = Object.fromEntries(
  [gradcamPlusPlus, gradcam, xgradcam, hirescam, gradcamElementwise, layercam, eigencam].map((m) => [m.id, m]),
);

/**
 * Refine-CAM: a multi-layer meta-method — the base CAM's map at each target layer, multiplied
 * together, so only what every layer agrees on survives (it denoises shallow layers).
 *
 * Formula: `m_l` = the base method's `[H, W]` map for layer l alone (in [0, 1]);
 * `map = min-max(Π_l m_l)`; `raw` = the unscaled product.
 *
 * Deviations: none from pytorch-grad-cam's `RefineCAM` (base Grad-CAM++ by default; its per-layer
 * re-normalisation loop has no effect there, and none is done here).
 *
 * Paper: https://arxiv.org/abs/2605.14641 (pytorch-grad-cam's reference for RefineCAM)
 */
export const refineCam = defineMethod<{ base: string }>({
  id: 'refine-cam',
  title: 'Refine-CAM',
  description: 'Product of a base CAM method’s per-layer maps (multi-layer denoising).',
  space: 'layer',
  usesLayers: true,
  requires: ['activations', 'layer-gradients'],
  options: {
    base: {
      type: 'enum',
      default: 'gradcam-plusplus',
      values: Object.keys(BASES),
      description: 'The CAM method run at each layer.',
    },
  },
  async explain(ctx, o) {
    const base = BASES[o.base]!;
    const baseOptions = resolveOptions(base, {});
    let product: Float32Array | null = null;
    let first = null;
    for (const layer of ctx.layers) {
      const r = await base.explain({ ...ctx, layers: [layer] }, baseOptions);
      first ??= r;
      product = product ? product.map((v, i) => v * r.map.data[i]!) : Float32Array.from(r.map.data);
    }
    return {
      map: { data: minMaxScale(product!), shape: [...first!.map.shape] },
      raw: { data: product!, shape: [...first!.map.shape] },
      target: first!.target,
      layers: [...ctx.layers],
    };
  },
});
