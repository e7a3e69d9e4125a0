import { camMultConfidenceChange } from './cam-mult-image-confidence-change.js';
import { defineMetric } from './metric.js';

/**
 * `increase-in-confidence`: pytorch-grad-cam's `IncreaseInConfidence`, `1` when the target's score
 * rises when the image is multiplied by the map (`score(x ⊙ map) > score(x)`), else `0`. Its mean over
 * a data set is Grad-CAM++'s "Increase in Confidence" (Chattopadhyay et al. 2018,
 * https://arxiv.org/abs/1710.11063). Higher is better. No deliberate difference from pytorch-grad-cam.
 */
export const increaseInConfidence = defineMetric({
  id: 'increase-in-confidence',
  title: 'Increase in confidence',
  description:
    "1 if score(x ⊙ map) > score(x), else 0: whether the target's score rises when the normalised input is multiplied by the map (pytorch-grad-cam's IncreaseInConfidence; Chattopadhyay et al. 2018).",
  higherIsBetter: true,
  needs: [],
  options: {},
  compute: async (ctx) => ({ value: (await camMultConfidenceChange(ctx)) > 0 ? 1 : 0 }),
});
