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
export { builtinMetrics } from './builtin-metrics.js';
// pytorch-grad-cam's metrics
export { camMultImageConfidenceChange } from './cam-mult-image-confidence-change.js';
export { dropInConfidence } from './drop-in-confidence.js';
export { increaseInConfidence } from './increase-in-confidence.js';
export { roadMostRelevantFirst } from './road-most-relevant-first.js';
export { roadLeastRelevantFirst } from './road-least-relevant-first.js';
export { roadCombined } from './road-combined.js';
export { noisyLinearImpute, NEIGHBOUR_WEIGHTS, type ImputeOptions } from './road/noisy-linear-imputer.js';
export { percentile } from './road/percentile.js';
// deletion/insertion, pointing, IoU, Captum's
export { deletionAuc } from './deletion-auc.js';
export { insertionAuc } from './insertion-auc.js';
export { pointingGame } from './pointing-game.js';
export { energyPointingGame } from './energy-pointing-game.js';
export { iou } from './iou.js';
export { boxMask, type Box } from './box-mask.js';
export { infidelity, infidelityMetric, type InfidelityOptions } from './infidelity.js';
export { sensitivityMax, sensitivityMaxMetric, type SensitivityOptions } from './sensitivity-max.js';
export type { PerturbationSource } from './perturbation.js';
