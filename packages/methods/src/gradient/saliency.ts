import { inputGradientMethod } from './input-gradient-method.js';

/**
 * Saliency (vanilla gradient): how much each input value moves the score.
 *
 * Formula: `raw = ∂score/∂x` with the standard ReLU backward; `map(i, j) = max_c |raw_c(i, j)| /
 * max(…)` (Simonyan et al. take the max of |gradient| over colour channels).
 *
 * Deviations: the map is divided by its maximum (no min subtraction), so it lies in [0, 1] with 0
 * meaning "no effect"; Captum's `Saliency` returns |gradient| unscaled (that is `|raw|` here).
 *
 * Output: `map` `[H, W]` in [0, 1]; `raw` the signed gradient in the model's input layout `[1, …]`.
 *
 * Paper: Simonyan, Vedaldi, Zisserman, "Deep Inside Convolutional Networks: Visualising Image
 * Classification Models and Saliency Maps", ICLR 2014 workshop, https://arxiv.org/abs/1312.6034
 */
export const saliency = inputGradientMethod({
  id: 'saliency',
  title: 'Saliency',
  description: 'The gradient of the score with respect to the input pixels.',
  requires: ['input-gradients'],
  reluMode: 'standard',
});
