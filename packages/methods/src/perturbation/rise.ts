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
  const big = resizeBilinear(grid, g, g, S, S);
  const dy = r.shifts[2 * m]!,
    dx = r.shifts[2 * m + 1]!;
  const out = new Float32Array(H * W);
  for (let i = 0; i < H; i++) out.set(big.subarray((i + dy) * S + dx, (i + dy) * S + dx + W), i * W);
  return out;
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
    const logits = await ctx.forwardBatch(
      {
        count: o.masks,
        make: (start, end) => {
          const out = new Float32Array((end - start) * n);
          for (let k = start; k < end; k++) {
            const m = riseMask(r, k, g, o.cell, H, W);
            const row = out.subarray((k - start) * n, (k - start + 1) * n);
            for (let c = 0; c < C; c++)
              for (let i = 0; i < H * W; i++) row[c * ch + i * pix] = x[c * ch + i * pix]! * m[i]!;
          }
          return { data: out, shape: [end - start, ...ctx.input.shape.slice(1)] };
        },
      },
      { batch: o.batch },
    );
    const s = scoresOf(logits, fixed);
    const sal = new Float64Array(H * W);
    for (let k = 0; k < o.masks; k++) {
      const m = riseMask(r, k, g, o.cell, H, W);
      for (let i = 0; i < H * W; i++) sal[i] += s[k]! * m[i]!;
    }
    const px = Float32Array.from(sal, (v) => v / (o.masks * o.p));
    return { map: { data: minMaxScale(px), shape: [H, W] }, raw: perPixelRaw(ctx, px), target: resolved };
  },
});
