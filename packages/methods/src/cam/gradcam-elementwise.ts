import { camMethod } from './cam-method.js';
import { reluOfGradTimesActivation } from './elementwise.js';

/**
 * Element-wise Grad-CAM: HiResCAM with each product rectified before the channel sum.
 *
 * Formula: `cam = Σ_c relu(G_c ⊙ A_c)`, then the CAM pipeline; `eigenSmooth` projects `relu(G ⊙ A)`.
 *
 * Deviations: none from pytorch-grad-cam's `GradCAMElementWise`.
 *
 * Reference: pytorch-grad-cam (Gildenblat et al.), https://github.com/jacobgil/pytorch-grad-cam
 */
export const gradcamElementwise = camMethod<Record<string, never>>({
  id: 'gradcam-elementwise',
  title: 'Element-wise Grad-CAM',
  description: 'Σ_c relu(G⊙A): rectified gradient-times-activation.',
  requires: ['activations', 'layer-gradients'],
  options: {},
  product: ({ activations: A, gradients: G }) => reluOfGradTimesActivation(A, G!),
});
