import type { Capability } from '@gradscope/core';

/** What every loaded ONNX model can do. */
export const MODEL_CAPABILITIES: readonly Capability[] = [
  'activations',
  'layer-gradients',
  'input-gradients',
  'relu-guided',
  'relu-deconvnet',
  'batched-forward',
  'run-from-layer',
  'relu-only-rectifiers',
  'randomize-weights',
  'hessian-vector',
  'bias-gradients',
];

/** The backend's capabilities: every model's, plus `linear-head` (declared by models that have one). */
export const BACKEND_CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>([
  ...MODEL_CAPABILITIES,
  'linear-head',
]);
