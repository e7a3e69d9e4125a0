import { camMethod } from './cam-method.js';
import { gradTimesActivation } from './elementwise.js';

/**
 * HiResCAM: the element-wise product of gradient and activation, summed over channels, so the map
 * reflects exactly the locations the score used (no spatial averaging of the gradient).
 *
 * Formula: `cam = Σ_c G_c ⊙ A_c` (before the pipeline's ReLU), then the CAM pipeline. With
 * `eigenSmooth`, the first principal component of `G ⊙ A` instead of the sum.
 *
 * Deviations: none from pytorch-grad-cam's `HiResCAM` (its eigen-smoothing warning — faithfulness
 * no longer holds — applies here too). The projection's sign is fixed (largest entry positive).
 *
 * Paper: Draelos & Carin, "Use HiResCAM instead of Grad-CAM for faithful explanations of
 * convolutional neural networks", 2020, https://arxiv.org/abs/2011.08891
 */
export const hirescam = camMethod<Record<string, never>>({
  id: 'hirescam',
  title: 'HiResCAM',
  description: 'Σ_c G⊙A: gradient times activation at every location.',
  requires: ['activations', 'layer-gradients'],
  options: {},
  product: ({ activations: A, gradients: G }) => gradTimesActivation(A, G!),
});
