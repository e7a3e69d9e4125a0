import { camMethod } from './cam-method.js';
import { reluGradTimesActivation } from './elementwise.js';

/**
 * LayerCAM: activations weighted by their positive gradient at each location, which keeps fine
 * detail in shallow layers.
 *
 * Formula: `cam = Σ_c relu(G_c) ⊙ A_c`, then the CAM pipeline; `eigenSmooth` projects `relu(G) ⊙ A`.
 *
 * Deviations: none from pytorch-grad-cam's `LayerCAM` (the paper's scaling of shallow layers'
 * maps by tanh is not part of it either).
 *
 * Paper: Jiang et al., "LayerCAM: Exploring Hierarchical Class Activation Maps for Localization",
 * IEEE TIP 2021, https://ieeexplore.ieee.org/document/9462463
 */
export const layercam = camMethod<Record<string, never>>({
  id: 'layercam',
  title: 'LayerCAM',
  description: 'Σ_c relu(G)⊙A: activations weighted by positive gradients per location.',
  requires: ['activations', 'layer-gradients'],
  options: {},
  product: ({ activations: A, gradients: G }) => reluGradTimesActivation(A, G!),
});
