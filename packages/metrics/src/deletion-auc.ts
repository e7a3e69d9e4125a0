import { causalCurve, causalOptions, type CausalOptions } from './causal-curve.js';
import { defineMetric } from './metric.js';

/**
 * Deletion AUC (Petsiuk, Das & Saenko 2018, "RISE: Randomized Input Sampling for Explanation of
 * Black-box Models", §4.1; https://arxiv.org/abs/1806.07421). Pixels are removed — replaced by the
 * baseline, all channels at once — in order of decreasing saliency, `step` per step, and the target's
 * score is recorded before each step and after the last; the value is the area under that curve, RISE's
 * `auc`: the trapezoid rule over the steps spread evenly on [0, 1]. Lower is better: a faithful map
 * names first the pixels whose removal kills the score.
 *
 * Choices, as RISE's reference code (`evaluation.py`, `CausalMetric('del', 224, torch.zeros_like)`):
 * - `step`: 224 pixels per step at 224×224; by default `max(1, round(H·W / 224))` at any size, so the
 *   curve always has about 225 points. When `step` does not divide H·W the last step is shorter; the
 *   curve's x is then the exact fraction of pixels changed while the AUC spaces the steps evenly, as RISE.
 * - `baseline`: `constant` with `value` 0 by default (the normalised zero, RISE's `zeros_like`); `blur` is
 *   RISE's insertion substrate (see `insertion-auc`).
 * - The score is `ctx.scores`, the target's score with its class fixed to the one explained: RISE
 *   wraps the network in a softmax, so a `softmax` target gives RISE's numbers; a `class` target
 *   integrates the logit instead.
 * - Ties in the map are removed in row-major order (RISE's `np.argsort` leaves them unspecified).
 * The curve is returned (`curve.x` fraction of pixels deleted, `curve.y` the score).
 */
export const deletionAuc = defineMetric<CausalOptions>({
  id: 'deletion-auc',
  title: 'Deletion AUC',
  description:
    "Area under the target's score as pixels are removed in order of decreasing saliency (RISE, Petsiuk et al. 2018); lower is better.",
  higherIsBetter: false,
  needs: [],
  options: causalOptions('constant'),
  compute: (ctx, o) => causalCurve(ctx, o, 'deletion'),
});
