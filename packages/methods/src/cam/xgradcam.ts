import { channelSums } from '@gradscope/core';
import { camMethod } from './cam-method.js';
import type { CamLayer } from './cam-spec.js';

/** XGrad-CAM channel weights: `w_c = Σ_ij G·A / (Σ_ij A_c + 1e-7)`. */
export function xgradcamWeights(l: CamLayer): Float32Array {
  const { activations: A, gradients: G, channels: C } = l;
  const hw = A.length / C;
  const sums = channelSums(A, C);
  const w = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    const d = sums[c]! + 1e-7;
    let s = 0;
    for (let i = c * hw; i < (c + 1) * hw; i++) s += (G![i]! * A[i]!) / d;
    w[c] = s;
  }
  return w;
}

/**
 * XGrad-CAM: axiom-based Grad-CAM, channel weights normalised by the channel's activation mass.
 *
 * Formula: `w_c = Σ_ij (G_c·A_c) / (Σ_ij A_c + 1e-7)`; `cam = Σ_c w_c·A_c`, then the CAM pipeline.
 *
 * Deviations: none from pytorch-grad-cam's `XGradCAM`.
 *
 * Paper: Fu et al., "Axiom-based Grad-CAM", BMVC 2020, https://arxiv.org/abs/2008.02312
 */
export const xgradcam = camMethod<Record<string, never>>({
  id: 'xgradcam',
  title: 'XGrad-CAM',
  description: 'Σ(G·A)/ΣA channel weights (axiom-based Grad-CAM).',
  requires: ['activations', 'layer-gradients'],
  options: {},
  weights: xgradcamWeights,
});
