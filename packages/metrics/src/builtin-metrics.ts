import { camMultImageConfidenceChange } from './cam-mult-image-confidence-change.js';
import { deletionAuc } from './deletion-auc.js';
import { dropInConfidence } from './drop-in-confidence.js';
import { energyPointingGame } from './energy-pointing-game.js';
import { increaseInConfidence } from './increase-in-confidence.js';
import { infidelity } from './infidelity.js';
import { insertionAuc } from './insertion-auc.js';
import { iou } from './iou.js';
import type { Metric } from './metric.js';
import type { MetricOptionValues } from './metric-options.js';
import { pointingGame } from './pointing-game.js';
import { roadCombined } from './road-combined.js';
import { roadLeastRelevantFirst } from './road-least-relevant-first.js';
import { roadMostRelevantFirst } from './road-most-relevant-first.js';
import { sensitivityMax } from './sensitivity-max.js';

/** pytorch-grad-cam's metrics (confidence change, ROAD). */
const pytorchGradCamMetrics = [
  camMultImageConfidenceChange,
  dropInConfidence,
  increaseInConfidence,
  roadMostRelevantFirst,
  roadLeastRelevantFirst,
  roadCombined,
] as readonly Metric<MetricOptionValues>[];

/** Deletion/insertion, pointing, IoU and Captum's metrics, in a stable order (ids are a contract: see each file). */
const curveAndLocalisationMetrics = [
  deletionAuc,
  insertionAuc,
  pointingGame,
  energyPointingGame,
  iou,
  infidelity,
  sensitivityMax,
] as readonly Metric<MetricOptionValues>[];

/** Every metric gradscope ships. */
export const builtinMetrics: readonly Metric<MetricOptionValues>[] = [
  ...pytorchGradCamMetrics,
  ...curveAndLocalisationMetrics,
];
