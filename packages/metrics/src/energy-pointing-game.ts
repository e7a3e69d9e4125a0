import { inside, mapAndMask } from './plane.js';
import { defineMetric } from './metric.js';

/**
 * The energy-based pointing game (Wang, Wang, Du, Yang, Zhang, Ding, Mardziel & Hu, "Score-CAM:
 * Score-Weighted Visual Explanations for Convolutional Neural Networks", CVPRW 2020, §5.2;
 * https://arxiv.org/abs/1910.01279): the share of the map's energy that falls on the object,
 * Σ map·[mask] / Σ map, in [0, 1] for a non-negative map. Higher is better.
 *
 * Choices: pixels with mask ≥ ½ are the object (the paper uses the bounding box: build the mask with
 * `boxMask`); the map is taken as given (gradscope's maps are in [0, 1]); a map summing to 0 scores 0.
 */
export const energyPointingGame = defineMetric<Record<string, never>>({
  id: 'energy-pointing-game',
  title: 'Energy-based pointing game',
  description:
    "Share of the map's energy inside the ground-truth mask, Σ map·mask / Σ map (Score-CAM, Wang et al. 2020); higher is better.",
  higherIsBetter: true,
  needs: ['mask'],
  options: {},
  compute: async (ctx) => {
    const { map, mask, h, w } = mapAndMask(ctx);
    let total = 0;
    let within = 0;
    for (let p = 0; p < h * w; p++) {
      total += map.data[p]!;
      if (inside(mask, p)) within += map.data[p]!;
    }
    return { value: total === 0 ? 0 : within / total, details: { inside: within, total } };
  },
});
