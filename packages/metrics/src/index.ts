export type { Metric, MetricContext, MetricNeed, MetricResult, MetricSubject, MetricValue } from './metric.js';
export { defineMetric } from './metric.js';
export { metricContext } from './metric-context.js';
export { runMetric } from './run-metric.js';
export type {
  MetricOptionSpec,
  MetricOptionSpecs,
  MetricOptionValue,
  MetricOptionValues,
  NumbersOptionSpec,
} from './metric-options.js';
export { resolveMetricOptions } from './metric-options.js';
export { pixelImage, type PixelImage } from './pixel-image.js';
