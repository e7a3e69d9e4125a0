import { deletionAuc } from './deletion-auc.js';
import { energyPointingGame } from './energy-pointing-game.js';
import { infidelity } from './infidelity.js';
import { insertionAuc } from './insertion-auc.js';
import { iou } from './iou.js';
import type { Metric } from './metric.js';
import { pointingGame } from './pointing-game.js';
import { sensitivityMax } from './sensitivity-max.js';

/** Every metric this package defines, in a stable order (ids are a contract: see each file). */
export const builtinMetrics: readonly Metric<any>[] = [
  deletionAuc,
  insertionAuc,
  pointingGame,
  energyPointingGame,
  iou,
  infidelity,
  sensitivityMax,
];
