import { seededUniform } from '@gradscope/core';
import { camMethod } from './cam-method.js';

/**
 * Random-CAM: a baseline for metrics and sanity checks — channel weights drawn uniformly from
 * [−1, 1), ignoring the model's gradients.
 *
 * Formula: `w_c ~ U(−1, 1)` (seeded), `cam = Σ_c w_c·A_c`; then the CAM pipeline.
 *
 * Deviations: pytorch-grad-cam's `RandomCAM` draws from NumPy's global generator and requests
 * gradients it never reads; gradscope's draws are seeded (`seed`, mulberry32) and reproducible
 * across backends, and it needs activations only.
 *
 * Reference: pytorch-grad-cam, https://github.com/jacobgil/pytorch-grad-cam
 */
export const randomCam = camMethod<{ seed: number }>({
  id: 'random-cam',
  title: 'Random-CAM',
  description: 'Baseline: activations weighted by seeded uniform random weights.',
  requires: ['activations'],
  options: { seed: { type: 'integer', default: 0, min: 0, description: 'Seed of the random weights.' } },
  weights: ({ channels: C }, o) => {
    const u = seededUniform(o.seed);
    return Float32Array.from({ length: C }, () => 2 * u() - 1);
  },
});
