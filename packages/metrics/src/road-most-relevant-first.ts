import { defineMetric } from './metric.js';
import { byPercentile, roadOptions, roadScores, type RoadOptions } from './road/road-scores.js';

/**
 * `road-most-relevant-first`: ROAD, Remove And Debias (Rong et al. 2022, "A Consistent and Efficient
 * Evaluation Strategy for Attribution Methods", https://arxiv.org/abs/2202.00449), most relevant
 * first, as pytorch-grad-cam's `ROADMostRelevantFirst(p)` for each percentile p: the pixels whose map
 * value is at least the map's p-th percentile (NumPy's linear percentile) are replaced by the noisy
 * linear imputation of the rest (`noisy-linear-imputer.ts`), and the value is
 * `score(imputed) − score(x)` on the class explained. Lower (a larger drop) is better.
 * Value: `{ "20": …, "40": …, "60": …, "80": … }`. Options: `percentiles`, `noise` (σ, default 0.01,
 * seeded by the subject's seed; 0 reproduces pytorch-grad-cam exactly). Deliberate differences: the
 * noise comes from a seeded generator, not torch's global one; see the imputer for the all-removed case.
 */
export const roadMostRelevantFirst = defineMetric<RoadOptions>({
  id: 'road-most-relevant-first',
  title: 'ROAD, most relevant first',
  description:
    "score(imputed) − score(x) after replacing the pixels at or above the map's p-th percentile by ROAD's noisy linear imputation, per percentile (pytorch-grad-cam's ROADMostRelevantFirst; Rong et al. 2022).",
  higherIsBetter: false,
  needs: [],
  options: roadOptions,
  compute: async (ctx, o) => {
    const { diffs, imputed } = await roadScores(ctx, 'most-relevant-first', o);
    return { value: byPercentile(o.percentiles, diffs), details: byPercentile(o.percentiles, imputed) };
  },
});
