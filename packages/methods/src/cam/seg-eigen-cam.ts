import { firstComponentProjection } from '@gradscope/core';
import { camMethod } from './cam-method.js';
import { absGradTimesActivation } from './elementwise.js';

/**
 * Seg-Eigen-CAM: Eigen-CAM of the activations weighted element-wise by the absolute gradient, with
 * the sign fixed so salient regions are positive.
 *
 * Formula: `cam` = first principal component projection of `|G| ⊙ A` (channels centred), flipped
 * when `|min| > |max|`; then the CAM pipeline.
 *
 * Deviations: none from pytorch-grad-cam's `SegEigenCAM` (gradscope's projection sign rule — the
 * largest-magnitude entry positive — is the paper's Eq. 13).
 *
 * Paper: Chung & Ying, "Seg-Eigen-CAM", Applied Sciences 15(13) 7562, 2025,
 * https://doi.org/10.3390/app15137562
 */
export const segEigenCam = camMethod<Record<string, never>>({
  id: 'seg-eigen-cam',
  title: 'Seg-Eigen-CAM',
  description: 'First principal component of |gradient| ⊙ activation, sign-corrected.',
  requires: ['activations', 'layer-gradients'],
  options: {},
  map: ({ activations: A, gradients: G, channels: C }) => firstComponentProjection(absGradTimesActivation(A, G!), C),
});
