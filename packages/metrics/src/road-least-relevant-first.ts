import { defineMetric } from './metric.js';
import { byPercentile, roadOptions, roadScores, type RoadOptions } from './road/road-scores.js';

/**
 * `road-least-relevant-first`: ROAD (Rong et al. 2022, https://arxiv.org/abs/2202.00449), least
 * relevant first, as pytorch-grad-cam's `ROADLeastRelevantFirst(p)` for each percentile p: with
 * `m = 1 − map`, the pixels whose `m` is at least m's p-th percentile (the least relevant) are replaced
 * by the noisy linear imputation of the rest, and the value is `score(imputed) − score(x)` on the
 * class explained. Higher (a smaller drop) is better. Value: `{ "20": …, "40": …, … }`. Options and
 * deliberate differences as `road-most-relevant-first`.
 */
export const roadLeastRelevantFirst = defineMetric<RoadOptions>({
  id: 'road-least-relevant-first',
  title: 'ROAD, least relevant first',
  description:
    "score(imputed) − score(x) after replacing the least relevant pixels (1 − map at or above its p-th percentile) by ROAD's noisy linear imputation, per percentile (pytorch-grad-cam's ROADLeastRelevantFirst; Rong et al. 2022).",
  higherIsBetter: true,
  needs: [],
  options: roadOptions,
  compute: async (ctx, o) => {
    const { diffs, imputed } = await roadScores(ctx, 'least-relevant-first', o);
    return { value: byPercentile(o.percentiles, diffs), details: byPercentile(o.percentiles, imputed) };
  },
});
