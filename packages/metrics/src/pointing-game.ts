import { inside, mapAndMask } from './plane.js';
import { defineMetric } from './metric.js';

/**
 * The pointing game (Zhang, Bargal, Lin, Brandt, Shen & Sclaroff, "Top-down Neural Attention by
 * Excitation Backprop", ECCV 2016 / IJCV 2018; https://arxiv.org/abs/1608.00507): a hit (1) when the map's
 * maximum lies on the object — within `tolerance` pixels of the ground-truth mask, i.e. in the mask
 * dilated by a disc of that radius (their code's 15 px) — else a miss (0). The mean over a data set is
 * the pointing accuracy.
 *
 * Choices: the distance is Euclidean between pixel centres, `≤ tolerance` (0: the maximum itself must
 * be inside); pixels with mask ≥ ½ are the object. Ties for the maximum: the first maximum in row-major
 * order (NumPy's `argmax`, as reimplementations such as TorchRay point); `details.ties` says how many
 * pixels share it, so a flat map (every pixel tied) can be recognised.
 */
export const pointingGame = defineMetric<{ tolerance: number }>({
  id: 'pointing-game',
  title: 'Pointing game',
  description:
    "1 when the map's maximum lies within `tolerance` pixels of the ground-truth mask, else 0 (Zhang et al. 2016); higher is better.",
  higherIsBetter: true,
  needs: ['mask'],
  options: {
    tolerance: { type: 'number', default: 15, min: 0, description: 'pixels the mask is dilated by (Zhang et al.: 15)' },
  },
  compute: async (ctx, o) => {
    const { map, mask, h, w } = mapAndMask(ctx);
    let best = 0;
    let ties = 0;
    for (let p = 0; p < h * w; p++) {
      const v = map.data[p]!;
      if (v > map.data[best]!) [best, ties] = [p, 1];
      else if (v === map.data[best]!) ties++;
    }
    const [py, px] = [Math.floor(best / w), best % w];
    const r = Math.floor(o.tolerance);
    let hit = false;
    for (let y = Math.max(0, py - r); y <= Math.min(h - 1, py + r) && !hit; y++)
      for (let x = Math.max(0, px - r); x <= Math.min(w - 1, px + r) && !hit; x++)
        hit = (y - py) ** 2 + (x - px) ** 2 <= o.tolerance ** 2 && inside(mask, y * w + x);
    return { value: hit ? 1 : 0, details: { x: px, y: py, ties } };
  },
});
