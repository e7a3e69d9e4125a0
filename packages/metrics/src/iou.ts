import { inside, mapAndMask } from './plane.js';
import { defineMetric } from './metric.js';

/**
 * Intersection over union of the thresholded map and the ground truth: the map's region is the pixels
 * with `map ≥ threshold`, the object the pixels with mask ≥ ½; IoU = |region ∩ object| / |region ∪
 * object|, in [0, 1], higher is better. The localisation measure of weakly supervised localisation since
 * CAM (Zhou et al., "Learning Deep Features for Discriminative Localization", CVPR 2016,
 * https://arxiv.org/abs/1512.04150), here on the thresholded map itself rather than its bounding box.
 * Choices: `threshold` 0.5 of the [0, 1] map by default; an empty union (no object, nothing above the
 * threshold) scores 0.
 */
export const iou = defineMetric<{ threshold: number }>({
  id: 'iou',
  title: 'IoU of the thresholded map',
  description: 'Intersection over union of {map ≥ threshold} and the ground-truth mask; higher is better.',
  higherIsBetter: true,
  needs: ['mask'],
  options: { threshold: { type: 'number', default: 0.5, description: 'map values ≥ this are the predicted region' } },
  compute: async (ctx, o) => {
    const { map, mask, h, w } = mapAndMask(ctx);
    let both = 0;
    let either = 0;
    for (let p = 0; p < h * w; p++) {
      const a = map.data[p]! >= o.threshold;
      const b = inside(mask, p);
      if (a && b) both++;
      if (a || b) either++;
    }
    return { value: either === 0 ? 0 : both / either, details: { intersection: both, union: either } };
  },
});
