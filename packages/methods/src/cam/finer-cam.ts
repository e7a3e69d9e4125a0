import { finerTarget, type Target } from '@gradscope/core';
import { camMethod } from './cam-method.js';
import { gradcamWeights } from './gradcam.js';

/** The FinerCAM target for a requested class target (top-1 or a given class); other kinds are kept. */
function finerOf(t: Target, alpha: number): Target {
  if (t.kind !== 'class') return t;
  const f = finerTarget(t.index, { alpha });
  return t.negate ? { ...f, negate: true } : f;
}

/**
 * FinerCAM: Grad-CAM of a score that contrasts the class with its most similar classes, so the map
 * shows what tells them apart (fine-grained differences).
 *
 * Formula: comparison classes j = the classes ranked 1, 2, 3 by `|y_k − y_c|`;
 * `score = Σ_j p_j (y_c − α·y_j) / (Σ_j p_j + 1e-9)`, p = softmax(y), the gradient flowing through p;
 * Grad-CAM's weights `w_c = mean_ij ∂score/∂A_c` and the CAM pipeline.
 *
 * Deviations: none from pytorch-grad-cam's `FinerCAM` with its defaults (base Grad-CAM, alpha 1,
 * comparison ranks [1, 2, 3]). A non-class target (softmax, seed, …) is used as given.
 *
 * Paper: Zhang et al., "Finer-CAM: Spotting the Difference Reveals Finer Details for Visual
 * Explanation", CVPR 2025, https://arxiv.org/abs/2501.11309
 */
export const finerCam = camMethod<{ alpha: number }>({
  id: 'finer-cam',
  title: 'Finer-CAM',
  description: 'Grad-CAM of the class score minus its most similar classes’ (fine-grained contrast).',
  requires: ['activations', 'layer-gradients'],
  options: { alpha: { type: 'number', default: 1, description: 'Weight α of the comparison classes.' } },
  target: (t, o) => finerOf(t, o.alpha),
  weights: gradcamWeights,
});
