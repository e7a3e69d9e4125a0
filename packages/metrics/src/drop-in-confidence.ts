import { camMultConfidenceChange } from './cam-mult-image-confidence-change.js';
import { defineMetric } from './metric.js';

/**
 * `drop-in-confidence`: pytorch-grad-cam's `DropInConfidence`, `max(0, score(x) − score(x ⊙ map))`,
 * how much the target's score drops when the image is multiplied by the map (0 when it rises). Averaged
 * over a data set (and divided by the scores) it is Grad-CAM++'s "Average Drop" (Chattopadhyay et al.
 * 2018, https://arxiv.org/abs/1710.11063); like pytorch-grad-cam, gradscope does not divide. Lower is
 * better. No deliberate difference from pytorch-grad-cam.
 */
export const dropInConfidence = defineMetric({
  id: 'drop-in-confidence',
  title: 'Drop in confidence',
  description:
    "max(0, score(x) − score(x ⊙ map)): how much the target's score drops when the normalised input is multiplied by the map (pytorch-grad-cam's DropInConfidence; Grad-CAM++'s Average Drop, undivided).",
  higherIsBetter: false,
  needs: [],
  options: {},
  compute: async (ctx) => ({ value: Math.max(-(await camMultConfidenceChange(ctx)), 0) }),
});
