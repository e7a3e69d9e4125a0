export { benchModel, type BenchModelOptions } from './bench-model.js';
export { formatTable } from './format-table.js';
export { GOALS, ONNX_GOALS, ORT_NODE_GOALS, ORT_WEB_GOALS, type RowGoals } from './goals.js';
export { checkGoals, rowGoals, type GoalCheck } from './check-goals.js';
export {
  FULL_MODELS,
  planFullModels,
  prepareFullModels,
  readTorchTimings,
  type FullModel,
  type FullModels,
  type FullModelsPlan,
} from './full-models.js';
export { ORT_SUITES, ortSuites } from './ort-suite.js';
export { noiseInput } from './noise-input.js';
export { loadLayersFile } from './load-layers-file.js';
export { resnet18, RESNET18_LAST_CONV } from './resnet18.js';
export { median, timeInterleaved, type Timing, type TimeOptions } from './time-median.js';
export type { BenchRow, BenchSuite, BenchOptions, TorchReference } from './suite.js';
export { SUITES } from './suites.js';
export { formatColdTable, runCold, type ColdRun, type ColdPhase } from './cold-table.js';
export {
  benchCamVariants,
  gradientCams,
  CAM_VARIANT_GOAL,
  NOT_GRADIENT_BASED,
  type CamVariantRow,
  type CamVariantTiming,
  type CamVariantOptions,
} from './cam-variants.js';
export { formatCamVariantTable } from './cam-variants-table.js';
export { runCamVariants, CAM_VARIANT_SUITES } from './cam-variants-suite.js';
