import type { Capability } from '@gradscope/core';

/**
 * What every tfjs model supports. Added per model: `linear-head` when its head is recognised, and
 * `training` and `bias-gradients` (FullGrad) for LayersModels (tfjs trains their weights; GraphModels are frozen graphs whose weights
 * are constants). On tfjs-wasm, conv training needs the kernels of `@gradscope/backend-tfjs/training`.
 */
export const TFJS_CAPABILITIES: readonly Capability[] = [
  'activations',
  'layer-gradients',
  'input-gradients',
  'relu-guided',
  'relu-deconvnet',
  'relu-only-rectifiers',
  'run-from-layer',
  'batched-forward',
  'randomize-weights',
  'hessian-vector',
];

/** What the backend declares: every model's capabilities and the per-model ones some models add. */
export const TFJS_BACKEND_CAPABILITIES: readonly Capability[] = [
  ...TFJS_CAPABILITIES,
  'linear-head',
  'training',
  'bias-gradients',
];
