import type { Capability } from '@gradscope/core';

/** What every tfjs model supports (`linear-head` is added per model when its head is recognised). */
export const TFJS_CAPABILITIES: readonly Capability[] = [
  'activations',
  'layer-gradients',
  'input-gradients',
  'relu-guided',
  'relu-deconvnet',
  'run-from-layer',
  'batched-forward',
];
