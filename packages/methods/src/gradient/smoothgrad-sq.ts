import { smoothgradMethod } from './smoothgrad-method.js';
import { SMOOTHABLE } from './smoothgrad.js';

/**
 * SmoothGrad²: like `smoothgrad`, but the mean of the SQUARED results over the noisy copies
 * (Captum's `NoiseTunnel` with `nt_type='smoothgrad_sq'`); same options and noise.
 *
 * Paper: Smilkov et al. 2017, https://arxiv.org/abs/1706.03825; Hooker et al., "A Benchmark for
 * Interpretability Methods in Deep Neural Networks", NeurIPS 2019 (SmoothGrad-Squared)
 */
export const smoothgradSq = smoothgradMethod('smoothgrad-sq', true, SMOOTHABLE);
