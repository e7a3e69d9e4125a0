import { defineMethod } from '@gradscope/core';
import { inputGeometry, inputResult, perPixelRaw, resolveOnInput, scoresOf } from './scores.js';

type OcclusionOptions = { window: number; stride: number; baseline: number; batch: number };

/** Window origins along one axis: 0, s, 2s, … while the window fits. */
function origins(size: number, win: number, stride: number): number[] {
  const out: number[] = [];
  for (let p = 0; p + win <= size; p += stride) out.push(p);
  return out;
}

/**
 * Occlusion: how much the score drops when a square patch (all channels) is set to a baseline.
 *
 * Formula: windows of `window`×`window` pixels at stride `stride` from the top-left while they fit;
 * `d_w = score(x) − score(x with window w set to baseline)`; a pixel's attribution is the mean of
 * `d_w` over the windows covering it (Captum's `Occlusion` with sliding window `(C, window, window)`
 * and strides `(C, stride, stride)`), the same for every channel. The class is fixed on `x`.
 *
 * Deviations: a pixel covered by no window (when the stride skips the border) gets 0; Captum
 * divides 0 by 0 there.
 *
 * Output: `raw` in the input's layout `[1, …]`; `map` `[H, W]` = |raw| / max |raw|.
 *
 * Paper: Zeiler & Fergus, "Visualizing and Understanding Convolutional Networks", ECCV 2014,
 * https://arxiv.org/abs/1311.2901
 */
export const occlusion = defineMethod<OcclusionOptions>({
  id: 'occlusion',
  title: 'Occlusion',
  description: 'Score drop when a sliding square patch is replaced by a baseline value.',
  space: 'input',
  usesLayers: false,
  requires: [],
  options: {
    window: { type: 'integer', default: 8, min: 1, description: 'Side of the square window, in input pixels.' },
    stride: { type: 'integer', default: 4, min: 1, description: 'Step between windows, in input pixels.' },
    baseline: { type: 'number', default: 0, description: 'Value written over the window (normalised input).' },
    batch: { type: 'integer', default: 32, min: 1, description: 'Occluded inputs per model call.' },
  },
  async explain(ctx, o) {
    const { H, W, C, pix, ch } = inputGeometry(ctx);
    // a window larger than the input is clamped to it (small models under --method all); the
    // window used is reported in `metadata.window`
    const win = Math.min(o.window, H, W);
    const rs = origins(H, win, o.stride),
      cs = origins(W, win, o.stride);
    const { resolved, fixed } = await resolveOnInput(ctx);
    const x = ctx.input.data,
      n = x.length;
    // one buffer for every chunk: the model is done with a chunk before the next one is made
    let buf = new Float32Array(0);
    const logits = await ctx.forwardBatch(
      {
        count: rs.length * cs.length,
        make: (start, end) => {
          if (buf.length < (end - start) * n) buf = new Float32Array((end - start) * n);
          const out = buf.subarray(0, (end - start) * n);
          for (let k = start; k < end; k++) {
            const row = out.subarray((k - start) * n, (k - start + 1) * n);
            row.set(x);
            const r0 = rs[Math.floor(k / cs.length)]!,
              c0 = cs[k % cs.length]!;
            for (let c = 0; c < C; c++)
              for (let i = r0; i < r0 + win; i++)
                for (let j = c0, p = c * ch + (i * W + c0) * pix; j < c0 + win; j++, p += pix) row[p] = o.baseline;
          }
          return { data: out, shape: [end - start, ...ctx.input.shape.slice(1)] };
        },
      },
      { batch: o.batch },
    );
    const s = scoresOf(logits, fixed);
    const s0 = Math.fround(resolved.score);
    const sum = new Float32Array(H * W),
      count = new Float32Array(H * W);
    s.forEach((sk, k) => {
      const r0 = rs[Math.floor(k / cs.length)]!,
        c0 = cs[k % cs.length]!;
      const d = Math.fround(s0 - sk);
      for (let i = r0; i < r0 + win; i++)
        for (let j = c0; j < c0 + win; j++) {
          sum[i * W + j] += d;
          count[i * W + j] += 1;
        }
    });
    const px = sum.map((v, i) => (count[i]! > 0 ? v / count[i]! : 0));
    return { ...inputResult(ctx, perPixelRaw(ctx, px), resolved), metadata: { window: win } };
  },
});
