import { camMethod, type CamLayer } from '@gradscope/methods';

/**
 * NormGrad's map at one layer: `m(i, j) = ‖A[:, i, j]‖₂ · ‖G[:, i, j]‖₂`, the Frobenius norm of the
 * outer product `G[:, i, j] ⊗ A[:, i, j]` (norms accumulated in float64). `[h·w]` values, ≥ 0.
 */
export function normgradMap(l: CamLayer): Float32Array {
  const { activations: A, gradients: G, channels: C } = l;
  const hw = A.length / C;
  const m = new Float32Array(hw);
  for (let p = 0; p < hw; p++) {
    let aa = 0,
      gg = 0;
    for (let i = p; i < C * hw; i += hw) {
      aa += A[i]! * A[i]!;
      gg += G![i]! * G![i]!;
    }
    m[p] = Math.sqrt(aa) * Math.sqrt(gg);
  }
  return m;
}

/**
 * NormGrad: how much each position of a layer contributes to the gradient of a virtual 1×1
 * convolution's weights.
 *
 * Formula: the paper inserts a virtual identity 1×1 convolution (weights `W = I`, `C × C`) after the
 * target layer; its weight gradient is a sum over positions of outer products, `∂y/∂W = Σ_ij
 * G[:, i, j] ⊗ A[:, i, j]`, with A the layer's output and G = ∂y/∂A. NormGrad keeps each position's
 * term and takes its Frobenius norm, which for an outer product factorises:
 * `m(i, j) = ‖A[:, i, j]‖₂ · ‖G[:, i, j]‖₂` — the paper's basic single-layer NormGrad (the authors'
 * code: virtual layer "conv1x1", aggregation "norm"; TorchRay's `norm_grad` computes the same). The
 * gradient's sign (the authors' code differentiates −score) cancels in the norm. Then the shared CAM
 * pipeline: ReLU (a no-op, m ≥ 0), min-max scale, bilinear half-pixel resize, final clip/mean/min-max.
 *
 * Deviations: the authors' code upsamples the raw map and then min-max scales it; scaling first and again
 * after the resize (pytorch-grad-cam's order) gives the same map, since bilinear weights sum to 1 and
 * min-max scaling ignores positive affine changes (up to the 1e-7 guards). Several layers are
 * averaged here (pytorch-grad-cam) where the authors multiply the per-layer maps. No `eigenSmooth`
 * (the method supplies its own map); `augSmooth` as every CAM method.
 *
 * Output: `map` `[H, W]` in [0, 1]; `raw` the unscaled `m` at layer resolution `[h, w]`.
 *
 * Example: `createGradscope({ methods: [...builtinMethods, normgrad] }).explain(model, x, { method: 'normgrad' })`.
 *
 * Paper: Rebuffi, Fong, Ji, Vedaldi, "There and Back Again: Revisiting Backpropagation Saliency
 * Methods", CVPR 2020, https://arxiv.org/abs/2004.02866
 */
export const normgrad = camMethod<Record<string, never>>({
  id: 'normgrad',
  title: 'NormGrad',
  description: '‖A‖·‖G‖ per position: the norm of a virtual 1×1 convolution’s weight gradient there.',
  requires: ['activations', 'layer-gradients'],
  options: {},
  map: normgradMap,
});
