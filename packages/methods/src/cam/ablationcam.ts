import { scoresOf } from '../perturbation/scores.js';
import { headAblatedScores } from './ablation-head.js';
import { camMethod } from './cam-method.js';
import type { CamLayer } from './cam-spec.js';

const ABLATION_OFFSET = 1e7;

/**
 * The value written over the ablated channel of row `i` of a chunk. gradscope: 0 when A's minimum
 * is 0 (ReLU outputs), else `min(A) − 1e7`, for every channel. pytorch-grad-cam (`AblationLayer`)
 * re-reads the minimum of the whole chunk after each row, so row i of a chunk of `batch` gets
 * `min(A) − (i+1)·1e7` (in float32) on layers whose minimum is not 0.
 */
function ablationValue(min: number, i: number, pgc: boolean): number {
  if (min === 0) return 0;
  if (!pgc) return Math.fround(min - ABLATION_OFFSET);
  let v = min;
  for (let k = 0; k <= i; k++) v = Math.fround(v - ABLATION_OFFSET);
  return v;
}

async function ablationcamWeights(l: CamLayer, o: { batch: number; pgcCompatible: boolean }): Promise<Float32Array> {
  const ctx = l.context;
  const A = l.activations;
  const hw = l.height * l.width;
  let min = Infinity;
  for (const v of A) min = Math.min(min, v);
  // pytorch-grad-cam's batch position of channel c is c mod batch, however the runtime chunks the rows
  const value = (c: number) => ablationValue(min, c % o.batch, o.pgcCompatible);
  const s =
    (await headAblatedScores(l, ctx.target, value, o.batch)) ??
    scoresOf(
      await ctx.runFromLayer(
        l.name,
        {
          count: l.channels,
          make: (start, end) => {
            const out = new Float32Array((end - start) * A.length);
            for (let c = start; c < end; c++) {
              const row = out.subarray((c - start) * A.length, (c - start + 1) * A.length);
              row.set(A);
              row.fill(value(c), c * hw, (c + 1) * hw);
            }
            return { data: out, shape: [end - start, l.channels, l.height, l.width] };
          },
        },
        { batch: o.batch },
      ),
      ctx.target,
    );
  const s0 = Math.fround(l.target.score);
  const d = o.pgcCompatible ? s0 : Math.abs(s0);
  return s.map((sc) => (s0 - sc) / d);
}

/**
 * Ablation-CAM: each channel weighted by the relative drop of the score when it is ablated.
 *
 * Formula: `s0 = score(x)`; `s_c` = the score with channel c of A replaced by the ablation value
 * (0 on ReLU outputs, else `min(A) − 1e7`), only the network's tail re-run (run-from-layer, batched);
 * at the layer a declared GAP → dense head pools (`Model.head`, e.g. ResNet's `layer4`), in closed
 * form instead: `s_c` from `logits(A) − W[:, c]·(mean(A_c) − v)`, one tail run in all;
 * `w_c = (s0 − s_c) / |s0|`; `cam = Σ_c w_c·A_c`, then the CAM pipeline.
 *
 * Deviations from pytorch-grad-cam's `AblationCAM` (fixes; `pgcCompatible: true` restores them):
 * it divides by `s0`, so every sign flips when `s0 < 0`; on layers whose minimum is not 0 its
 * ablation value depends on the position in the batch of 32 (`min(A) − (i+1)·1e7`). It also re-runs
 * the whole network for every chunk; gradscope runs only the tail from the layer.
 *
 * Options: `batch` (ablations per tail call, 32, as pytorch-grad-cam's `batch_size`, which its
 * ablation values depend on), `pgcCompatible`.
 *
 * Output: `map` `[H, W]` in [0, 1]; `raw` `Σ_c w_c·A_c` at layer resolution `[h, w]`.
 *
 * Paper: Desai & Ramaswamy, "Ablation-CAM: Visual Explanations for Deep Convolutional Network via
 * Gradient-free Localization", WACV 2020
 */
export const ablationcam = camMethod<{ batch: number; pgcCompatible: boolean }>({
  id: 'ablationcam',
  title: 'Ablation-CAM',
  description: 'Channels weighted by the relative score drop when each is ablated (tail re-runs only).',
  requires: ['activations', 'run-from-layer'],
  options: {
    batch: { type: 'integer', default: 32, min: 1, description: 'Ablated channels per tail run.' },
    pgcCompatible: {
      type: 'boolean',
      default: false,
      description: 'Reproduce pytorch-grad-cam exactly: divide by s0 (not |s0|), batch-position ablation values.',
    },
  },
  weights: ablationcamWeights,
});
