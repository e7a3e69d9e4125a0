import { kernelFirstComponent } from '@gradscope/core';
import { camMethod } from './cam-method.js';

/**
 * KPCA-CAM: Eigen-CAM with kernel PCA, the first kernel principal component of the activations.
 *
 * Formula: X = A as (h·w × C), channels centred; `K = tanh(γ·X·Xᵀ + 1)` (scikit-learn's sigmoid
 * kernel, γ = 1/C unless `gamma` > 0), double-centred; `cam = α·√λ` for the top eigenpair; then the
 * CAM pipeline.
 *
 * Deviations: none from pytorch-grad-cam's `KPCA_CAM` defaults (kernel 'sigmoid', gamma None);
 * the sign follows scikit-learn's `svd_flip` (largest-magnitude entry positive), as there.
 *
 * Paper: Karmani et al., "KPCA-CAM: Visual Explainability of Deep Computer Vision Models using
 * Kernel PCA", 2024, https://arxiv.org/abs/2410.00267
 */
export const kpcaCam = camMethod<{ gamma: number }>({
  id: 'kpca-cam',
  title: 'KPCA-CAM',
  description: 'First kernel principal component of the activations (sigmoid kernel).',
  requires: ['activations'],
  options: {
    gamma: {
      type: 'number',
      default: 0,
      min: 0,
      description: 'Kernel γ; 0 means 1/channels (scikit-learn’s default).',
    },
  },
  map: ({ activations: A, channels: C }, o) => kernelFirstComponent(A, C, o.gamma > 0 ? { gamma: o.gamma } : {}),
});
