import {
  defineMethod,
  firstComponentProjection,
  minMaxScale,
  resizeBilinear,
  type ExplainContext,
  type MethodResult,
  type Tensor,
} from '@gradscope/core';
import { AUGMENTATIONS, augment, unflipMap } from './aug-smooth.js';

/** pytorch-grad-cam's `scale_accross_batch_and_channels` for one image: each `[h·w]` plane min-max scaled, then resized. */
function scalePlanes(planes: readonly Float32Array[], h: number, w: number, H: number, W: number): Float32Array[] {
  return planes.map((p) => {
    const s = minMaxScale(p);
    return h === H && w === W ? s : resizeBilinear(s, h, w, H, W);
  });
}

/** The input term's planes: `|x ⊙ ∂s/∂x|` per input channel (the model's layout read). */
function inputPlanes(x: Tensor, dx: Tensor, layout: 'NCHW' | 'NHWC', H: number, W: number): Float32Array[] {
  const C = layout === 'NCHW' ? x.shape[1]! : x.shape[3]!;
  return Array.from({ length: C }, (_, c) =>
    Float32Array.from({ length: H * W }, (_, i) => {
      const k = layout === 'NCHW' ? c * H * W + i : i * C + c;
      return Math.abs(x.data[k]! * dx.data[k]!);
    }),
  );
}

/** `Σ_c scale(|b_c·G_c|)` resized to `[H, W]`: one bias layer's term. */
function biasTerm(bias: Float32Array, g: Tensor, H: number, W: number): Float32Array {
  const [, C, h, w] = g.shape as [number, number, number, number];
  const planes = Array.from({ length: C }, (_, c) =>
    Float32Array.from(g.data.subarray(c * h * w, (c + 1) * h * w), (v) => Math.abs(bias[c]! * v)),
  );
  const sum = new Float32Array(H * W);
  for (const p of scalePlanes(planes, h, w, H, W)) for (let i = 0; i < sum.length; i++) sum[i] = sum[i]! + p[i]!;
  return sum;
}

async function fullgradOnce(ctx: ExplainContext, input: Tensor, eigenSmooth: boolean): Promise<MethodResult> {
  const { model } = ctx;
  const { height: H, width: W, layout } = model.input;
  const hook = await model.capture(input, {
    layers: [],
    gradients: false,
    inputGradient: true,
    biasGradients: true,
    targets: [ctx.target],
  });
  try {
    const terms = [
      ...scalePlanes(inputPlanes(input, hook.inputGradient!, layout, H, W), H, W, H, W),
      ...(hook.biasGradients ?? []).map((b) => biasTerm(b.bias, b.gradient, H, W)),
    ];
    let sum: Float32Array = new Float32Array(H * W);
    if (eigenSmooth) {
      // pytorch-grad-cam: every term at 1/8 size, first principal component, scaled back up
      const [h, w] = [Math.floor(H / 8), Math.floor(W / 8)];
      const small = scalePlanes(terms, H, W, h, w);
      const stacked = new Float32Array(small.length * h * w);
      small.forEach((p, c) => stacked.set(p, c * h * w));
      sum = scalePlanes([firstComponentProjection(stacked, small.length)], h, w, H, W)[0]!;
    } else for (const t of terms) for (let i = 0; i < sum.length; i++) sum[i] = sum[i]! + t[i]!;
    return {
      map: { data: minMaxScale(sum), shape: [H, W] },
      raw: { data: sum, shape: [H, W] },
      target: hook.targets[0]!,
    };
  } finally {
    hook.dispose();
  }
}

/**
 * FullGrad: the input-gradient term plus the bias-gradient term of every convolution and batch
 * normalisation, which together add up to the output (the paper's full-gradient decomposition).
 *
 * Formula: per input channel `scale(|x ⊙ ∂s/∂x|)`; per biased conv / BN layer (the target layer is
 * ignored) `Σ_c resize(scale(|b_c · ∂s/∂z_c|))`, z the output the bias is added to and BN's bias
 * `β − μ·γ/√(σ² + ε)`; scale = per-plane min-max, resize = bilinear half-pixel to the input size;
 * map = min-max of the sum (no ReLU). `eigenSmooth`: the terms at 1/8 size, their first principal
 * component (sign fixed as everywhere in gradscope), scaled back up. `augSmooth`: the mean of the
 * six de-augmented maps, as for every CAM.
 *
 * Backends: capability `bias-gradients`. ONNX exports usually fold a BN into the conv before it: such a
 * pair is one bias there, two in torch and tfjs, so a biased conv followed by a BN counts once on ONNX
 * (after per-channel scaling both of torch's terms are the same map: the ONNX map weights it once, not twice).
 *
 * Deviations: none from pytorch-grad-cam's `FullGrad` otherwise.
 *
 * Output: `map` `[H, W]` in [0, 1]; `raw` the unscaled sum `[H, W]`.
 *
 * Paper: Srinivas & Fleuret, "Full-Gradient Representation for Neural Network Visualization",
 * NeurIPS 2019, https://arxiv.org/abs/1905.00780
 */
export const fullgrad = defineMethod<{ eigenSmooth: boolean; augSmooth: boolean }>({
  id: 'fullgrad',
  title: 'FullGrad',
  description: 'Input-gradient term plus the bias-gradient terms of every conv and batch-norm layer.',
  space: 'layer',
  usesLayers: false,
  requires: ['input-gradients', 'bias-gradients'],
  options: {
    eigenSmooth: {
      type: 'boolean',
      default: false,
      description: 'Project the terms (at 1/8 size) on their first principal component (eigen_smooth).',
    },
    augSmooth: {
      type: 'boolean',
      default: false,
      description: 'Average the maps of six augmented inputs ({identity, flip} × {0.9, 1, 1.1}), as aug_smooth.',
    },
  },
  async explain(ctx, o) {
    if (!o.augSmooth) return fullgradOnce(ctx, ctx.input, o.eigenSmooth);
    const { height: H, width: W, layout } = ctx.model.input;
    let first: MethodResult | null = null;
    const sum = new Float32Array(H * W);
    for (const { flip, factor } of AUGMENTATIONS) {
      const r = await fullgradOnce(ctx, augment(ctx.input, layout, flip, factor), o.eigenSmooth);
      const m = flip ? unflipMap(r.map.data, H, W) : r.map.data;
      for (let i = 0; i < m.length; i++) sum[i] = sum[i]! + m[i]! / AUGMENTATIONS.length;
      if (!flip && factor === 1) first = r;
    }
    return { ...first!, map: { data: sum, shape: [H, W] } };
  },
});
