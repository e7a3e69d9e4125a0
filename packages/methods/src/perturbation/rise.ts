import { defineMethod, minMaxScale, resizeBilinear, seededUniform } from '@gradscope/core';
import { inputGeometry, perPixelRaw, resolveOnInput, scoresOf } from './scores.js';

type RiseOptions = { masks: number; cell: number; p: number; seed: number; batch: number };

/** The random part of every mask: a binary `g×g` grid (1 with probability p) and a shift in [0, cell). */
export function riseGrids(o: RiseOptions, g: number): { grids: Uint8Array; shifts: Int32Array } {
  const u = seededUniform(o.seed);
  const grids = new Uint8Array(o.masks * g * g);
  const shifts = new Int32Array(o.masks * 2);
  for (let m = 0; m < o.masks; m++) {
    for (let i = 0; i < g * g; i++) grids[m * g * g + i] = u() < o.p ? 1 : 0;
    shifts[2 * m] = Math.floor(u() * o.cell);
    shifts[2 * m + 1] = Math.floor(u() * o.cell);
  }
  return { grids, shifts };
}

/** Mask m: its `g×g` grid stretched (bilinear, half-pixel) to `(g+1)·cell` squared, cropped at its shift to H×W. */
function riseMask(r: ReturnType<typeof riseGrids>, m: number, g: number, cell: number, H: number, W: number) {
  const S = (g + 1) * cell;
  const grid = Float32Array.from(r.grids.subarray(m * g * g, (m + 1) * g * g));
  // only the H×W window at the shift is interpolated (the same values as cropping the S×S resize)
  return resizeBilinear(grid, g, g, S, S, { top: r.shifts[2 * m]!, left: r.shifts[2 * m + 1]!, height: H, width: W });
}

/**
 * RISE: the mean of random smooth masks weighted by the score of the input they mask.
 *
 * Formula: N masks; each is a binary `g×g` grid (`g = ceil(max(H, W)/cell)`, cells on with probability
 * p) stretched bilinearly (half-pixel centres, edge clamp) to `(g+1)·cell` squared and cropped to H×W at a random shift in `[0, cell)²`;
 * `sal = Σ_i score(x ⊙ M_i) · M_i / (N·p)`. Seeded (mulberry32): per mask g² uniforms for the grid,
 * then the row and column shift; the same masks on every backend.
 *
 * Deviations from the paper: the score is the target's (the top-1 logit by default; use a softmax
 * target for the paper's probabilities); the upsampling clamps edges (the paper's skimage reflects);
 * the class is fixed on `x`.
 *
 * Output: `raw` the saliency broadcast over channels in the input layout; `map` its min-max scaling.
 *
 * Paper: Petsiuk, Das & Saenko, "RISE: Randomized Input Sampling for Explanation of Black-box
 * Models", BMVC 2018, https://arxiv.org/abs/1806.07421
 */
export const rise = defineMethod<RiseOptions>({
  id: 'rise',
  title: 'RISE',
  description: 'Random smooth masks weighted by the score of the masked input (seeded).',
  space: 'input',
  usesLayers: false,
  requires: [],
  options: {
    masks: { type: 'integer', default: 1000, min: 1, description: 'Number of random masks N.' },
    cell: { type: 'integer', default: 32, min: 1, description: 'Size of one grid cell, in input pixels.' },
    p: { type: 'number', default: 0.5, min: 0, max: 1, description: 'Probability that a cell is kept.' },
    seed: { type: 'integer', default: 0, min: 0, description: 'Seed of the masks.' },
    batch: { type: 'integer', default: 32, min: 1, description: 'Masked inputs per model call.' },
  },
  async explain(ctx, o) {
    const { H, W, C, pix, ch } = inputGeometry(ctx);
    const g = Math.ceil(Math.max(H, W) / o.cell);
    const r = riseGrids(o, g);
    const { resolved, fixed } = await resolveOnInput(ctx);
    const x = ctx.input.data,
      n = x.length;
    const HW = H * W,
      sal = new Float64Array(HW);
    // chunk by chunk: each mask is made once, multiplied into its input, then weighted by its score
    // (the two buffers are reused: the model is done with a chunk when forwardBatch returns)
    const rows = Math.min(o.batch, o.masks);
    const maskBuf = new Float32Array(rows * HW),
      inputBuf = new Float32Array(rows * n);
    for (let start = 0; start < o.masks; start += o.batch) {
      const end = Math.min(o.masks, start + o.batch);
      for (let k = start; k < end; k++) {
        const m = maskBuf.subarray((k - start) * HW, (k - start + 1) * HW);
        m.set(riseMask(r, k, g, o.cell, H, W));
        const row = inputBuf.subarray((k - start) * n, (k - start + 1) * n);
        for (let c = 0; c < C; c++) for (let i = 0, p = c * ch; i < HW; i++, p += pix) row[p] = x[p]! * m[i]!;
      }
      const inputs = {
        data: inputBuf.subarray(0, (end - start) * n),
        shape: [end - start, ...ctx.input.shape.slice(1)],
      };
      const logits = await ctx.forwardBatch(inputs, { batch: o.batch, progress: { offset: start, total: o.masks } });
      const s = scoresOf(logits, fixed);
      for (let k = 0; k < end - start; k++) {
        const sk = s[k]!,
          m = maskBuf.subarray(k * HW, (k + 1) * HW);
        for (let i = 0; i < HW; i++) sal[i] += sk * m[i]!;
      }
    }
    const px = Float32Array.from(sal, (v) => v / (o.masks * o.p));
    return { map: { data: minMaxScale(px), shape: [H, W] }, raw: perPixelRaw(ctx, px), target: resolved };
  },
});
