import { camMultImageConfidenceChange } from './cam-mult-image-confidence-change.js';
import { dropInConfidence } from './drop-in-confidence.js';
import { increaseInConfidence } from './increase-in-confidence.js';
import type { Metric } from './metric.js';
import type { MetricOptionValues } from './metric-options.js';
import { roadCombined } from './road-combined.js';
import { roadLeastRelevantFirst } from './road-least-relevant-first.js';
import { roadMostRelevantFirst } from './road-most-relevant-first.js';

/** pytorch-grad-cam's metrics (confidence change, ROAD). */
const pytorchGradCamMetrics = [
  camMultImageConfidenceChange,
  dropInConfidence,
  increaseInConfidence,
  roadMostRelevantFirst,
  roadLeastRelevantFirst,
  roadCombined,
] as readonly Metric<MetricOptionValues>[];

/** Every metric gradscope ships. */
export const builtinMetrics: readonly Metric<MetricOptionValues>[] = [...pytorchGradCamMetrics];
