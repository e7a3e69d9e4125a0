import { defineExplainer } from '@gradscope/core';
import { gradCam } from './grad-cam.js';

/**
 * Counterfactual Grad-CAM: Grad-CAM of the negated score, i.e. `gradcam` with `counterfactual: true`.
 *
 * Formula: `w_c = mean_ij (−∂score/∂A_c(i,j))`; `cam = relu(Σ_c w_c · A_c)`, scaled and resized as
 * Grad-CAM. Because the weights are linear in the seed, `raw` is exactly −(Grad-CAM's raw map):
 * the map highlights evidence AGAINST the class (regions whose removal would raise its score).
 *
 * Deviations: pytorch-grad-cam has no separate method; there one passes a target that returns
 * `−score`. gradscope negates through the target (core's `negated`), so any target kind works.
 *
 * Output: `map` `[H, W]` in [0, 1]; `raw` `[h, w]` at layer resolution.
 *
 * Example: `explain(c, model, x, { method: 'counterfactual-gradcam', target: classTarget(3) })`.
 *
 * Paper: Selvaraju et al., "Grad-CAM", ICCV 2017, §5.3 "Counterfactual Explanations",
 * https://arxiv.org/abs/1610.02391
 */
export const counterfactualGradCam = defineExplainer<Record<string, never>>({
  id: 'counterfactual-gradcam',
  title: 'Counterfactual Grad-CAM',
  description: 'Grad-CAM of the negated score: regions that count against the class.',
  space: gradCam.space,
  usesLayers: gradCam.usesLayers,
  requires: gradCam.requires,
  options: {},
  explain: (ctx) => gradCam.explain(ctx, { counterfactual: true, eigenSmooth: false, augSmooth: false }),
});
