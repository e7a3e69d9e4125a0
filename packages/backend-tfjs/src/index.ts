/**
 * gradscope backend for TensorFlow.js (wasm in Node; webgl, webgpu or wasm in the browser).
 *
 * @module @gradscope/backend-tfjs
 */
export { tfjsBackend, createTfjsBackend, type TfjsBackendOptions } from './tfjs-backend.js';
export { TfjsLayersModel } from './layers/layers-model.js';
export { TfjsGraphModel } from './graph/graph-model.js';
export { loadModelFiles } from './load-model-files.js';
export type { ModelFiles } from './model-files.js';
export type { ModelMeta } from './model-meta.js';
export { parseSidecar, sidecarPath } from './sidecar.js';
export { useTfjsBackend, TfjsBackendUnavailableError, type TfjsBackendName } from './use-tfjs-backend.js';
export { TFJS_CAPABILITIES } from './capabilities.js';
export { maxPoolFirstMaxGrad } from './grad/max-pool-first-max.js';
export { convInputGrad, flipKernel } from './grad/conv-input-grad.js';
export { reluBackward, type ReluModes } from './grad/relu-modes.js';
export { withGradientOverrides } from './grad/gradient-overrides.js';
