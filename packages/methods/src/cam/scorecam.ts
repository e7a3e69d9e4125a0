import { resizeBilinearAlignCorners, softmax } from '@gradscope/core';
import { scoresOf } from '../perturbation/scores.js';
import { camMethod } from './cam-method.js';
import type { CamLayer } from './cam-spec.js';

/** Channels by decreasing spatial mean of A (all of them for k = 0). */
function topChannels(l: CamLayer, k: number): number[] {
  const hw = l.height * l.width;
  const means = Array.from({ length: l.channels }, (_, c) => {
    let s = 0;
    for (let i = c * hw; i < (c + 1) * hw; i++) s += l.activations[i]!;
    return s / hw;
  });
  const order = means.map((_, c) => c);
  if (k <= 0 || k >= l.channels) return order;
  return order.sort((a, b) => means[b]! - means[a]! || a - b).slice(0, k);
}

/** Channel c of A upsampled to the input size (bilinear, aligned corners), min-max scaled with eps 1e-8. */
function maskOf(l: CamLayer, c: number, H: number, W: number): Float32Array {
  const hw = l.height * l.width;
  const m = resizeBilinearAlignCorners(l.activations.subarray(c * hw, (c + 1) * hw), l.height, l.width, H, W);
  let lo = Infinity,
    hi = -Infinity;
  for (const v of m) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const d = hi - lo + 1e-8;
  for (let i = 0; i < m.length; i++) m[i] = (m[i]! - lo) / d;
  return m;
}

async function scorecamWeights(l: CamLayer, o: { batch: number; topK: number }): Promise<Float32Array> {
  const ctx = l.context;
  const { layout, height: H, width: W, channels: C } = l.model.input;
  const x = ctx.input.data;
  const [pix, ch] = layout === 'NCHW' ? [1, H * W] : [C, 1];
  const chosen = topChannels(l, o.topK);
  const n = x.length;
  const logits = await ctx.forwardBatch(
    {
      count: chosen.length,
      make: (start, end) => {
        const out = new Float32Array((end - start) * n);
        for (let r = start; r < end; r++) {
          const m = maskOf(l, chosen[r]!, H, W);
          const row = out.subarray((r - start) * n, (r - start + 1) * n);
          for (let c = 0; c < C; c++)
            for (let i = 0; i < H * W; i++) row[c * ch + i * pix] = x[c * ch + i * pix]! * m[i]!;
        }
        return { data: out, shape: [end - start, ...ctx.input.shape.slice(1)] };
      },
    },
    { batch: o.batch },
  );
  const p = softmax(scoresOf(logits, ctx.target));
  const w = new Float32Array(l.channels);
  chosen.forEach((c, i) => (w[c] = p[i]!));
  return w;
}

/**
 * Score-CAM: each channel weighted by the class score of the input masked with that channel.
 *
 * Formula: `M_c` = A_c upsampled to the input size (bilinear, aligned corners), min-max scaled
 * (eps 1e-8); `s_c = score(model(x ⊙ M_c))` on the normalised input; `w = softmax_c(s)`;
 * `cam = Σ_c w_c·A_c`, then the CAM pipeline. The class is fixed on the unmodified input.
 *
 * Options: `batch` (masked inputs per model call, 32; only one batch of masked inputs is ever built,
 * unlike pytorch-grad-cam's C×3×H×W tensor); `topK` (0 = all channels; k > 0 = only the k channels
 * with the largest mean activation, softmax over those, the rest weigh 0: a speed-up by C/k whose
 * agreement with the full map is measured in the bench).
 *
 * Deviations: none from pytorch-grad-cam's `ScoreCAM` with `topK` 0 (its batch size does not change
 * the result).
 *
 * Output: `map` `[H, W]` in [0, 1]; `raw` `Σ_c w_c·A_c` at layer resolution `[h, w]`.
 *
 * Paper: Wang et al., "Score-CAM: Score-Weighted Visual Explanations for Convolutional Neural
 * Networks", CVPR workshops 2020, https://arxiv.org/abs/1910.01279
 */
export const scorecam = camMethod<{ batch: number; topK: number }>({
  id: 'scorecam',
  title: 'Score-CAM',
  description: 'Channels weighted by the softmax of the scores of the input masked by each channel.',
  requires: ['activations'],
  options: {
    batch: { type: 'integer', default: 32, min: 1, description: 'Masked inputs per model call.' },
    topK: {
      type: 'integer',
      default: 0,
      min: 0,
      description: 'Only the k channels with the largest mean activation (0 = all).',
    },
  },
  weights: scorecamWeights,
});
