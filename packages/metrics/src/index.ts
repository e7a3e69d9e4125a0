export type { Metric, MetricContext, MetricNeed, MetricResult, MetricSubject, MetricValue } from './metric.js';
export { defineMetric } from './metric.js';
export { metricContext } from './metric-context.js';
export { runMetric } from './run-metric.js';
export { deletionAuc } from './deletion-auc.js';
export { insertionAuc } from './insertion-auc.js';
