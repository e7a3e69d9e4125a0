import { firstComponentProjection } from '@gradscope/core';
import { camMethod } from './cam-method.js';

/**
 * Eigen-CAM: the first principal component of the layer's activations (class-independent, no
 * gradients).
 *
 * Formula: X = A as (h·w × C), each channel centred; `cam = X·v` with v the first right singular
 * vector; then the CAM pipeline.
 *
 * Deviations: the SVD's sign is arbitrary (LAPACK's choice in pytorch-grad-cam); gradscope fixes it
 * so the largest-magnitude entry is positive. Maps equal pytorch-grad-cam's up to that sign.
 * Computed in float64 through the smaller of the Gram and covariance matrices.
 *
 * Paper: Muhammad & Yeasin, "Eigen-CAM", IJCNN 2020, https://arxiv.org/abs/2008.00299
 */
export const eigencam = camMethod<Record<string, never>>({
  id: 'eigencam',
  title: 'Eigen-CAM',
  description: 'First principal component of the activations (class-independent).',
  requires: ['activations'],
  options: {},
  map: ({ activations: A, channels: C }) => firstComponentProjection(A, C),
});
