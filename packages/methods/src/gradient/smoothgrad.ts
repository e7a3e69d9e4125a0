import type { Method } from '@gradscope/core';
import { ablationcam } from '../cam/ablationcam.js';
import { eigencam } from '../cam/eigencam.js';
import { eigengradcam } from '../cam/eigengradcam.js';
import { gradcamElementwise } from '../cam/gradcam-elementwise.js';
import { gradcamPlusPlus } from '../cam/gradcam-plusplus.js';
import { gradcam } from '../cam/gradcam.js';
import { hirescam } from '../cam/hirescam.js';
import { layercam } from '../cam/layercam.js';
import { scorecam } from '../cam/scorecam.js';
import { xgradcam } from '../cam/xgradcam.js';
import { occlusion } from '../perturbation/occlusion.js';
import { deconvnet } from './deconvnet.js';
import { guidedBackprop } from './guided-backprop.js';
import { inputXGradient } from './input-x-gradient.js';
import { integratedGradients } from './integrated-gradients.js';
import { saliency } from './saliency.js';
import { smoothgradMethod } from './smoothgrad-method.js';

/** The methods SmoothGrad can wrap (option `method`), input-space first. */
export const SMOOTHABLE: readonly Method<any>[] = [
  saliency,
  guidedBackprop,
  deconvnet,
  inputXGradient,
  integratedGradients,
  occlusion,
  gradcam,
  gradcamPlusPlus,
  xgradcam,
  hirescam,
  gradcamElementwise,
  layercam,
  eigencam,
  eigengradcam,
  scorecam,
  ablationcam,
];

/**
 * SmoothGrad: the mean of a method's results over noisy copies of the input.
 *
 * Formula: `x_k = x + N(0, σ²)`, `σ = sigma · (max x − min x)`; `raw = (1/n) Σ_k raw(x_k)` with the
 * wrapped method (`method`, default `saliency`; its options at their defaults) for the class fixed
 * on x. Input-space methods: `map` = per-pixel max |raw| / its max; CAM methods: `map` = min-max of
 * the mean of their maps. Noise: `gaussianStream(seed)` in channels-first order (identical tensors
 * on every backend). `smoothgrad-sq` averages the squares instead (Captum's `smoothgrad_sq`).
 *
 * Deviations: Captum's `NoiseTunnel` takes an absolute standard deviation; the paper's σ is a
 * fraction of the input range, as here.
 *
 * Paper: Smilkov et al., "SmoothGrad: removing noise by adding noise", 2017,
 * https://arxiv.org/abs/1706.03825
 */
export const smoothgrad = smoothgradMethod('smoothgrad', false, SMOOTHABLE);
