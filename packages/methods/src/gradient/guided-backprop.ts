import { inputGradientMethod } from './input-gradient-method.js';

/**
 * Guided backpropagation: the input gradient with every ReLU passing only positive gradient where
 * its input was positive.
 *
 * Formula: each ReLU's backward is `g_in = g_out · [x > 0] · [g_out > 0]`; `raw = ∂score/∂x` under
 * that rule; `map(i, j) = max_c |raw_c(i, j)| / max(…)`.
 *
 * Deviations: none from pytorch-grad-cam's `GuidedBackpropReLUModel` for `raw` on ReLU networks
 * (MaxPool routes to the FIRST maximum, as torch does). ReLU6 (`Clip(0, 6)`) is guided too,
 * `g · [0 < x < 6] · [g > 0]`; pytorch-grad-cam swaps only `nn.ReLU` and leaves ReLU6 standard:
 * option `rectifiers: 'relu'` does the same (default `all`). pytorch-grad-cam only deprocesses for display; gradscope's
 * `map` is the per-pixel channel magnitude; the renderer deprocesses `raw` for display.
 *
 * Output: `map` `[H, W]` in [0, 1]; `raw` in the model's input layout `[1, …]`.
 *
 * Paper: Springenberg et al., "Striving for Simplicity: The All Convolutional Net", ICLR 2015
 * workshop, https://arxiv.org/abs/1412.6806
 */
export const guidedBackprop = inputGradientMethod({
  id: 'guided-backprop',
  title: 'Guided Backpropagation',
  description: 'Input gradient where ReLUs pass only positive gradients of positive inputs.',
  requires: ['input-gradients', 'relu-guided'],
  reluMode: 'guided',
  rectifiersOption: true,
});
