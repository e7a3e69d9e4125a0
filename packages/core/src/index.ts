/**
 * Contracts, DI tokens, typed errors, plain-array ops and the createGradscope entry point of gradscope.
 *
 * @module @gradscope/core
 */
export type { DependencyContainer, InjectionToken } from './di.js';
export { CAPABILITIES, type Capability } from './capabilities.js';
export type { Tensor } from './tensor.js';
export { tensor, zeros, sizeOf, unstack, shapeToString } from './tensor.js';
export {
  GradscopeError,
  UnknownLayerError,
  UnusableLayerError,
  UnknownMethodError,
  UnknownBackendError,
  DuplicateRegistrationError,
  BadTargetError,
  TargetCountError,
  BadInputShapeError,
  BadInputError,
  BadOptionError,
  MissingCapabilityError,
  UnsupportedModelError,
  UnsupportedOperatorError,
  ModelLoadError,
  AbortedError,
  NonFiniteError,
  RuntimeFailedError,
  isGradscopeError,
  type ErrorCode,
} from './errors.js';
export type { Target, ResolvedTarget } from './target.js';
export { targetHessian, hessianTimes } from './target-hessian.js';
export {
  topClass,
  classTarget,
  softmaxTarget,
  seedTarget,
  regionTarget,
  restTarget,
  binaryTarget,
  similarityTarget,
  finerTarget,
  negated,
  argmax,
  softmax,
  validateTarget,
  resolveTarget,
} from './target.js';
export type { Layout, Normalization, InputSpec, LayerInfo, LinearHead, Model } from './model.js';
export { modelOutputShape, outputSize } from './model.js';
export type { ReluMode, CaptureRequest, LayerHook, BiasGradient } from './hook.js';
export type { Backend, ModelSource, LoadOptions } from './backend.js';
export type {
  Method,
  ExplainContext,
  ExplainSubject,
  BatchSource,
  BatchOptions,
  MethodResult,
  NamedMap,
  OptionSpec,
  OptionSpecs,
  OptionValues,
} from './method.js';
export { explainContext, withSubject, rows, DEFAULT_BATCH, type RunControl } from './explain-context.js';
export { defineMethod } from './method.js';
export type { Explanation } from './explanation.js';
export { MethodToken, BackendToken } from './tokens.js';
export { registerMethods, registerBackends } from './registry.js';
export { createGradscope, type Gradscope, type GradscopeOptions } from './gradscope.js';
export { missingCapabilities, checkInput, type ExplainRequest } from './explain.js';
export { coalescingModel, type CoalescingModel, type CoalescingOptions } from './coalescing-model.js';
export { batchImages, batchItems, explainBatch, type BatchExplainRequest, type BatchInput } from './explain-batch.js';
export { canStack, planCalls, splitHook, stackRows, type BackendCall, type CaptureAsk } from './stack-captures.js';
export { captureKey } from './capture-key.js';
export { resolveOptions } from './resolve-options.js';
export { autoLayer, candidateLayers, resolveLayers } from './layers.js';
export { relu, minMaxScale, mean, std } from './ops/scale.js';
export { resizeBilinear, resizeBilinearAlignCorners, type ResizeCrop } from './ops/resize.js';
export { nhwcToNchw, nchwToNhwc, toChannelsFirst, fromChannelsFirst } from './ops/layout.js';
export { channelMeans, channelSums, weightedChannelSum, sumChannels } from './ops/reduce.js';
export {
  imageToTensor,
  tensorToImage,
  luminance,
  attributionMagnitude,
  IMAGENET,
  type ImagePixels,
} from './ops/image.js';
export { firstNonFinite, checkFinite, guardFinite, OUTPUT_LAYER } from './finite.js';
export { encodeNpy, decodeNpy } from './npy.js';
export { chooseOutput } from './choose-output.js';
export {
  parseSidecar,
  sidecarPath,
  scaledNormalization,
  unknownNormalizationWarning,
  DYNAMIC_SIZE_HINT,
  type ModelSidecar,
} from './sidecar.js';
export { seededUniform, mixSeeds } from './ops/random.js';
export { LOGITS_LAYER, reinitializedWeights, type RandomizeOptions, type WeightRole } from './randomize.js';
export { topEigen } from './ops/linalg.js';
export { firstComponentProjection, kernelFirstComponent } from './ops/projection.js';
export { LegacyRandomState } from './ops/mt19937.js';
export { nmf } from './ops/nmf.js';
