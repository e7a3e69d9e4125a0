import { camMethod } from './cam-method.js';
import type { CamLayer } from './cam-spec.js';

/** ShapleyCAM channel weights: `w_c = mean_ij (G − ½·H·A)_c`. */
export function shapleyCamWeights(l: CamLayer): Float32Array {
  const { gradients: G, hessianVector: HA, channels: C } = l;
  const hw = G!.length / C;
  const w = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    let s = 0;
    for (let i = c * hw; i < (c + 1) * hw; i++) s += G![i]! - 0.5 * HA![i]!;
    w[c] = s / hw;
  }
  return w;
}

/**
 * ShapleyCAM: Grad-CAM weights corrected by the second-order term of a Taylor expansion of the score
 * around the activations, which estimates each channel's Shapley value.
 *
 * Formula: `w_c = mean_ij (∂s/∂A − ½·H·A)_c` with H = ∂²s/∂A² the Hessian of the score s in the
 * layer output A (a Hessian-vector product along A itself); `cam = Σ_c w_c·A_c`, then the CAM
 * pipeline. On a network that is piecewise linear from the layer (ReLU, max pooling, conv, dense)
 * with a logit target, H = 0 and the map is Grad-CAM's; the paper pairs it with `restTarget`
 * (`--target-kind rest`), whose softmax curvature makes H·A non-zero.
 *
 * Backends: capability `hessian-vector`. tfjs computes H·A exactly by nested `tf.grad` (it has no
 * second-order gradient of max pooling: a layer followed by one is refused with UnsupportedModelError);
 * ONNX by a central difference of the layer gradient along A (docs/parity.md gives the measured error).
 *
 * Deviations: none from pytorch-grad-cam's `ShapleyCAM`.
 *
 * Paper: Cai et al., "CAMs as Shapley Value-based Explainers", 2025, https://arxiv.org/abs/2501.06261
 */
export const shapleyCam = camMethod<Record<string, never>>({
  id: 'shapley-cam',
  title: 'Shapley-CAM',
  description: 'Gradient minus ½·Hessian-vector product along the activations (Shapley values of channels).',
  requires: ['activations', 'layer-gradients', 'hessian-vector'],
  options: {},
  weights: shapleyCamWeights,
});
