import { inputGradientMethod } from './input-gradient-method.js';

/**
 * Deconvnet: the input "gradient" when every ReLU's backward ignores the forward sign and rectifies
 * the signal coming back.
 *
 * Formula: each ReLU's backward is `g_in = relu(g_out)`; `raw = ∂score/∂x` under that rule;
 * `map(i, j) = max_c |raw_c(i, j)| / max(…)`.
 *
 * Deviations: Zeiler & Fergus unpool with switches from one forward, which is what MaxPool's
 * backward does; ties route to the FIRST maximum (torch's and ONNX Runtime's rule). As in Captum's
 * `Deconvolution`, the conv backward uses the forward filters transposed. ReLU6 gets the same
 * `relu(g_out)` rule.
 *
 * Option `rectifiers`: `all` (default: ReLU6 / Clip rectify the backward too) or `relu` (plain
 * ReLU only, as pytorch-grad-cam's and Captum's `Deconvolution`).
 *
 * Output: `map` `[H, W]` in [0, 1]; `raw` in the model's input layout `[1, …]`.
 *
 * Paper: Zeiler & Fergus, "Visualizing and Understanding Convolutional Networks", ECCV 2014,
 * https://arxiv.org/abs/1311.2901
 */
export const deconvnet = inputGradientMethod({
  id: 'deconvnet',
  title: 'Deconvnet',
  description: 'Input projection where ReLUs rectify the backward signal (Zeiler & Fergus).',
  requires: ['input-gradients', 'relu-deconvnet'],
  reluMode: 'deconvnet',
  rectifiersOption: true,
});
