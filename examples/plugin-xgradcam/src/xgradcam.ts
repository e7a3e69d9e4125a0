import { camMethod, type CamLayer } from '@gradscope/methods';

/** XGrad-CAM's channel weights: `w_c = Σ_ij G_c·A_c / (Σ_ij A_c + 1e-7)`. */
export function xgradcamWeights(l: CamLayer): Float32Array {
  const { activations: A, gradients: G, channels: C } = l;
  const hw = A.length / C;
  const w = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    let ga = 0,
      a = 0;
    for (let i = c * hw; i < (c + 1) * hw; i++) {
      ga += G![i]! * A[i]!;
      a += A[i]!;
    }
    w[c] = ga / (a + 1e-7);
  }
  return w;
}

/**
 * XGrad-CAM (axiom-based Grad-CAM): Grad-CAM with each channel's gradient averaged with the
 * activation as weights instead of uniformly, which satisfies the sensitivity and conservation axioms.
 *
 * Formula: `w_c = Σ_ij G_c(i, j)·A_c(i, j) / (Σ_ij A_c(i, j) + 1e-7)`; `cam = Σ_c w_c · A_c`, then the
 * shared CAM pipeline (ReLU, min-max scale, bilinear half-pixel resize, multi-layer mean).
 *
 * Deviations: none from pytorch-grad-cam's `XGradCAM` (it divides element-wise before summing; the
 * sums here are accumulated in float64, a float32-noise difference).
 *
 * Output: `map` `[H, W]` in [0, 1]; `raw` `Σ_c w_c·A_c` at layer resolution `[h, w]`.
 *
 * Example: `createGradscope({ methods: [...builtinMethods, xgradcam] }).explain(model, x, { method: 'xgradcam' })`.
 *
 * Paper: Fu et al., "Axiom-based Grad-CAM: Towards Accurate Visualization and Explanation of CNNs",
 * BMVC 2020, https://arxiv.org/abs/2008.02312
 */
export const xgradcam = camMethod<Record<string, never>>({
  id: 'xgradcam',
  title: 'XGrad-CAM',
  description: 'Grad-CAM with activation-weighted gradient averages (axiom-based).',
  requires: ['activations', 'layer-gradients'],
  options: {},
  weights: xgradcamWeights,
});
