import { channelMeans } from '@gradscope/core';
import { camMethod } from './cam-method.js';
import type { CamLayer } from './cam-spec.js';

/** Grad-CAM's channel weights: the spatial mean of the gradient, `w_c = mean_ij G_c`. */
export function gradcamWeights(l: CamLayer): Float32Array {
  return channelMeans(l.gradients!, l.channels);
}

/**
 * Grad-CAM: a class-discriminative map from the gradient-weighted channels of a conv layer.
 *
 * Formula: `w_c = mean_ij ∂score/∂A_c(i,j)`; `cam = Σ_c w_c · A_c`, then ReLU, min-max scale and a
 * bilinear (half-pixel) resize to the input size; several layers are averaged and re-scaled.
 * No options. The counterfactual map (the negated score, paper §5.3) is its own method,
 * `counterfactual-gradcam`; the former `counterfactual` option was removed.
 *
 * Deviations: none from pytorch-grad-cam's `GradCAM` (the default target is the top-1 logit, no
 * softmax). The paper only upsamples the ReLU'd map; pytorch-grad-cam, and so gradscope, min-max
 * scales it at layer resolution first, then resizes.
 *
 * Output: `map` `[H, W]` in [0, 1]; `raw` the unscaled `Σ_c w_c·A_c` at layer resolution `[h, w]`.
 *
 * Example: `gs.explain(model, x, { method: 'gradcam', layer: 'layer4' })`.
 *
 * Paper: Selvaraju et al., "Grad-CAM: Visual Explanations from Deep Networks via Gradient-based
 * Localization", ICCV 2017, https://arxiv.org/abs/1610.02391
 */
export const gradcam = camMethod<Record<string, never>>({
  id: 'gradcam',
  title: 'Grad-CAM',
  description: 'Channels of a conv layer weighted by the spatial mean of their gradient.',
  requires: ['activations', 'layer-gradients'],
  options: {},
  weights: gradcamWeights,
});
