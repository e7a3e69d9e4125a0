/**
 * GAIN (Guided Attention Inference Network) training on TensorFlow.js: Grad-CAM inside the loss, attention metrics, and the biased-shapes experiment.
 *
 * @module @gradscope/gain
 */
export { trainGain, type GainOptions, type GainBatchInfo, type GainEpochRecord } from './train-gain.js';
export { evaluateAttention, type EvaluateAttentionOptions, type AttentionReport } from './evaluate-attention.js';
export { scoreMap, type MapScores } from './attention-metrics.js';
export {
  gainGradients,
  camPairs,
  type GainBatch,
  type GainLossSettings,
  type GainStepResult,
} from './gain-gradients.js';
export { camWeights, camMaps, minMaxMaps, resizeMatrix, stopGradient } from './cam-tensors.js';
export { splitModel, lastConvLayer, type SplitModel } from './split-model.js';
export { toBatch, disposeBatch, targetMap, type GainSample, type GainData } from './gain-data.js';
export { GainTrainingError, type GainFailure } from './gain-errors.js';
export { biasedShapesCnn } from './biased-shapes-cnn.js';
