import { defineMetric } from './metric.js';
import { gaussian } from './road/noisy-linear-imputer.js';
import { roadOptions, roadScores, type RoadOptions } from './road/road-scores.js';

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/**
 * `road-combined`: pytorch-grad-cam's `ROADCombined`, `(mean_p LeRF(p) − mean_p MoRF(p)) / 2` over the
 * percentiles, with LeRF/MoRF as `road-least-relevant-first` / `road-most-relevant-first` (ROAD, Rong
 * et al. 2022, https://arxiv.org/abs/2202.00449). Higher is better: removing the least relevant pixels
 * hurts less than removing the most relevant. One number. Options as the other ROAD metrics; the
 * default percentiles are 20, 40, 60, 80 (pytorch-grad-cam's class defaults to 10, 20, …, 90: pass
 * them for its default). The noise draws follow one seed, LeRF's images first, as pytorch-grad-cam
 * runs them.
 */
export const roadCombined = defineMetric<RoadOptions>({
  id: 'road-combined',
  title: 'ROAD combined',
  description:
    "(mean over percentiles of ROAD least-relevant-first − mean of ROAD most-relevant-first) / 2 (pytorch-grad-cam's ROADCombined; Rong et al. 2022).",
  higherIsBetter: true,
  needs: [],
  options: roadOptions,
  compute: async (ctx, o) => {
    const normal = gaussian(ctx.seed);
    const lerf = await roadScores(ctx, 'least-relevant-first', o, normal);
    const morf = await roadScores(ctx, 'most-relevant-first', o, normal);
    return { value: (mean(lerf.diffs) - mean(morf.diffs)) / 2 };
  },
});
