import { negated } from '@gradscope/core';
import { camMethod } from './cam-method.js';
import { gradcamWeights } from './gradcam.js';

/**
 * Counterfactual Grad-CAM: Grad-CAM of the negated score, the regions that count AGAINST the class
 * (whose removal would raise its score).
 *
 * Formula: `w_c = mean_ij (−∂score/∂A_c(i,j))`; `cam = Σ_c w_c · A_c`, then ReLU, scaled and resized
 * as Grad-CAM. Because the weights are linear in the seed, `raw` is exactly −(Grad-CAM's raw map).
 *
 * Deviations: pytorch-grad-cam has no separate method; there one passes a target that returns
 * `−score`. gradscope negates through the target (core's `negated`), so any target kind works.
 * This is the one way to get it: `gradcam` no longer has a `counterfactual` option.
 *
 * Output: `map` `[H, W]` in [0, 1]; `raw` `[h, w]` at layer resolution.
 *
 * Example: `gs.explain(model, x, { method: 'counterfactual-gradcam', target: classTarget(3) })`.
 *
 * Paper: Selvaraju et al., "Grad-CAM", ICCV 2017, §5.3 "Counterfactual Explanations",
 * https://arxiv.org/abs/1610.02391
 */
export const counterfactualGradcam = camMethod<Record<string, never>>({
  id: 'counterfactual-gradcam',
  title: 'Counterfactual Grad-CAM',
  description: 'Grad-CAM of the negated score: regions that count against the class.',
  requires: ['activations', 'layer-gradients'],
  options: {},
  target: (t) => negated(t),
  weights: gradcamWeights,
});
