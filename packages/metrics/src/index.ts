export type { Metric, MetricContext, MetricNeed, MetricResult, MetricSubject, MetricValue } from './metric.js';
export { defineMetric } from './metric.js';
export { metricContext } from './metric-context.js';
export { runMetric } from './run-metric.js';
export {
  sanityCheck,
  mapSimilarity,
  sanityPlotSvg,
  spearman,
  ssim,
  hog,
  type SanityCheckOptions,
  type SanityCheckResult,
  type SanityStep,
} from './sanity/index.js';
