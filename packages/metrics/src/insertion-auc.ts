import { causalCurve, causalOptions, type CausalOptions } from './causal-curve.js';
import { defineMetric } from './metric.js';

/**
 * Insertion AUC (Petsiuk, Das & Saenko 2018, "RISE: Randomized Input Sampling for Explanation of
 * Black-box Models", §4.1; https://arxiv.org/abs/1806.07421). The image starts as the baseline and its
 * pixels are put back, all channels at once, in order of decreasing saliency, `step` per step; the
 * target's score is recorded before each step and after the last, and the value is the area under that
 * curve (RISE's `auc`: the trapezoid rule over the steps spread evenly on [0, 1]). Higher is better.
 *
 * Choices, as RISE's reference code (`CausalMetric('ins', 224, blur)`):
 * - `baseline`: `blur` by default — RISE's `gkern(11, 5)`: every channel convolved with SciPy's
 *   `gaussian_filter` of an 11×11 impulse (σ 5, mode 'reflect', so a folded and nearly flat kernel),
 *   zero padding 5; `constant` uses `value` (default 0, the normalised zero).
 * - `step`, the score (`softmax` target for RISE's numbers), ties and the curve: as `deletion-auc`.
 */
export const insertionAuc = defineMetric<CausalOptions>({
  id: 'insertion-auc',
  title: 'Insertion AUC',
  description:
    "Area under the target's score as pixels are inserted into a blurred image in order of decreasing saliency (RISE, Petsiuk et al. 2018); higher is better.",
  higherIsBetter: true,
  needs: [],
  options: causalOptions('blur'),
  compute: (ctx, o) => causalCurve(ctx, o, 'insertion'),
});
