import type { MetricContext } from '../metric.js';
import type { NumbersOptionSpec } from '../metric-options.js';
import { inputAndMap } from '../pixel-image.js';
import { gaussian, noisyLinearImpute } from './noisy-linear-imputer.js';
import { percentile } from './percentile.js';

/** Which pixels ROAD removes first: those with the highest map values, or the lowest. */
export type RoadOrder = 'most-relevant-first' | 'least-relevant-first';

/** The options every ROAD metric declares (a contract with `gradscope evaluate` / `explain --metrics`). */
export const roadOptions = {
  percentiles: {
    type: 'numbers',
    default: [20, 40, 60, 80],
    min: 0,
    max: 100,
    description: 'percentiles of the map at which pixels are removed (pytorch-grad-cam: 10, 20, …, 90 in its averages)',
  } satisfies NumbersOptionSpec,
  noise: {
    type: 'number',
    default: 0.01,
    min: 0,
    description:
      "σ of the Gaussian noise the imputer adds (pytorch-grad-cam's 0.01); 0 reproduces pytorch-grad-cam exactly",
  },
} as const;

export type RoadOptions = { percentiles: readonly number[]; noise: number };

/**
 * Which pixels stay at percentile `p`, as pytorch-grad-cam's `RemoveMostRelevantFirst` /
 * `RemoveLeastRelevantFirst` decide: with `m = map` (most relevant first) or `m = 1 − map` (least),
 * pixel kept iff `m < percentile(m, p)`, compared in float32 as torch does; the others are imputed.
 */
export function roadKeep(map: Float32Array, order: RoadOrder, p: number): Uint8Array {
  const m = order === 'most-relevant-first' ? map : map.map((v) => 1 - v);
  const t = Math.fround(percentile(m, p));
  return Uint8Array.from(m, (v) => (v < t ? 1 : 0));
}

/**
 * ROAD at each percentile (pytorch-grad-cam's `ROADMostRelevantFirst(p)` / `ROADLeastRelevantFirst(p)`
 * with `return_diff`): `score(impute(x, removed pixels)) − score(x)`, the imputed images scored in one
 * batch. `normal` is the noise's draws, shared across calls so a metric's draws follow one seed.
 */
export async function roadScores(
  ctx: MetricContext,
  order: RoadOrder,
  o: RoadOptions,
  normal: () => number = gaussian(ctx.seed),
): Promise<{ diffs: number[]; imputed: number[] }> {
  const { image, map } = inputAndMap(ctx.input, ctx.map, ctx.model.input.layout);
  const size = image.data.length;
  const batch = new Float32Array(size * o.percentiles.length);
  const imputed: number[] = [];
  o.percentiles.forEach((p, k) => {
    ctx.checkAborted();
    const keep = roadKeep(map, order, p);
    imputed.push(keep.length - keep.reduce((a, b) => a + b, 0));
    batch.set(noisyLinearImpute(image, keep, { noise: o.noise, normal }), k * size);
  });
  const after = ctx.scores(
    await ctx.forwardBatch({ data: batch, shape: [o.percentiles.length, ...ctx.input.shape.slice(1)] }),
  );
  return { diffs: Array.from(after, (s) => s - ctx.resolved.score), imputed };
}

/** `{ "20": v₀, "40": v₁, … }`: one value per percentile, keyed as the percentile is written. */
export function byPercentile(percentiles: readonly number[], values: readonly number[]): Record<string, number> {
  return Object.fromEntries(percentiles.map((p, k) => [String(p), values[k]!]));
}
