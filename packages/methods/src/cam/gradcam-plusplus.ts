import { channelSums } from '@gradscope/core';
import { camMethod } from './cam-method.js';
import type { CamLayer } from './cam-spec.js';

/** Grad-CAM++ channel weights from the raw-score gradient (pytorch-grad-cam's `GradCAMPlusPlus`). */
export function gradcamPlusPlusWeights(l: CamLayer): Float32Array {
  const { activations: A, gradients: G, channels: C } = l;
  const hw = A.length / C;
  const sums = channelSums(A, C);
  const w = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    const sumA = sums[c]!;
    let s = 0;
    for (let i = c * hw; i < (c + 1) * hw; i++) {
      const g = G![i]!;
      if (g === 0) continue;
      const g2 = g * g;
      const alpha = g2 / (2 * g2 + sumA * g2 * g + 1e-6);
      if (g > 0) s += g * alpha;
    }
    w[c] = s;
  }
  return w;
}

/**
 * Grad-CAM++: channel weights that count every positive gradient location, weighted by α.
 *
 * Formula: `α = G² / (2G² + (Σ_ij A_c)·G³ + 1e-6)` (α = 0 where G = 0), `w_c = Σ_ij relu(G)·α`,
 * `cam = Σ_c w_c·A_c`, then the CAM pipeline (ReLU, min-max, resize, final min-max).
 *
 * Deviations: none from pytorch-grad-cam (it, too, uses the raw-score gradient powers in place of
 * the paper's exponential-score derivatives).
 *
 * Paper: Chattopadhay et al., "Grad-CAM++", WACV 2018, https://arxiv.org/abs/1710.11063
 */
export const gradcamPlusPlus = camMethod<Record<string, never>>({
  id: 'gradcam-plusplus',
  title: 'Grad-CAM++',
  description: 'Channel weights from positive gradients weighted by second/third-order terms.',
  requires: ['activations', 'layer-gradients'],
  options: {},
  weights: gradcamPlusPlusWeights,
});
