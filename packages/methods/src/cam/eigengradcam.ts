import { firstComponentProjection } from '@gradscope/core';
import { camMethod } from './cam-method.js';
import { gradTimesActivation } from './elementwise.js';

/**
 * Eigen-Grad-CAM: Eigen-CAM of the gradient-weighted activations, so the component is class-specific.
 *
 * Formula: `cam` = first principal component projection of `G ⊙ A` (channels centred), then the CAM
 * pipeline.
 *
 * Deviations: the projection's sign is fixed (largest-magnitude entry positive); pytorch-grad-cam's
 * `EigenGradCAM` leaves LAPACK's arbitrary sign.
 *
 * Reference: pytorch-grad-cam, after Muhammad & Yeasin, "Eigen-CAM", https://arxiv.org/abs/2008.00299
 */
export const eigengradcam = camMethod<Record<string, never>>({
  id: 'eigengradcam',
  title: 'Eigen-Grad-CAM',
  description: 'First principal component of gradient ⊙ activation.',
  requires: ['activations', 'layer-gradients'],
  options: {},
  map: ({ activations: A, gradients: G, channels: C }) => firstComponentProjection(gradTimesActivation(A, G!), C),
});
