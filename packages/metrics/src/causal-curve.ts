import type { Tensor } from '@gradscope/core';
import { riseBlur } from './gaussian-blur.js';
import { checkPlane, imageGeometry } from './image-geometry.js';
import type { MetricContext, MetricResult } from './metric.js';

/** Options shared by `deletion-auc` and `insertion-auc`. */
export type CausalOptions = {
  /** Pixels changed per step; 0: `max(1, round(H·W / 224))`, RISE's 224 pixels per step at 224×224. */
  step: number;
  /** What a removed pixel becomes (deletion) or what the image starts from (insertion). */
  baseline: string;
  /** The constant baseline's value, in the model's normalised input space (0 = the normalised zero). */
  value: number;
  /** Images per model call. */
  batch: number;
};

export const causalOptions = (baseline: 'blur' | 'constant') =>
  ({
    step: { type: 'integer', default: 0, min: 0, description: 'pixels per step; 0: H·W/224 (RISE: 224 at 224×224)' },
    baseline: {
      type: 'enum',
      default: baseline,
      values: ['blur', 'constant'],
      description: "RISE's gaussian blur (klen 11, σ 5) of the image, or a constant",
    },
    value: { type: 'number', default: 0, description: "the constant baseline's value (normalised input space)" },
    batch: { type: 'integer', default: 32, min: 1, description: 'images per model call' },
  }) as const;

/** RISE's `auc`: the trapezoid rule over n + 1 equally spaced points of [0, 1]. */
export function riseAuc(y: ArrayLike<number>): number {
  const n = y.length - 1;
  if (n < 1) return y.length === 1 ? y[0]! : 0;
  let s = 0;
  for (let i = 0; i <= n; i++) s += y[i]!;
  return (s - y[0]! / 2 - y[n]! / 2) / n;
}

/** Pixel indices by decreasing saliency; ties in increasing (row-major) index. */
export function salientOrder(map: Tensor): Uint32Array {
  const order = Uint32Array.from(map.data.keys());
  return order.sort((a, b) => map.data[b]! - map.data[a]! || a - b);
}

/**
 * RISE's causal metric (`CausalMetric.single_run`): `start` is the image (deletion) or the baseline
 * (insertion), `finish` the other; step i copies the `step` next most salient pixels (all channels) from
 * `finish` into `start`, and the score is taken before each step and after the last: n + 1 scores for
 * n = ⌈H·W / step⌉ steps. The images are made lazily, one chunk per model call.
 */
export async function causalCurve(
  ctx: MetricContext,
  o: CausalOptions,
  mode: 'deletion' | 'insertion',
): Promise<MetricResult> {
  const layout = ctx.model.input.layout;
  const g = imageGeometry(ctx.input, layout);
  checkPlane(ctx.map, g, 'map');
  const HW = g.height * g.width;
  const step = o.step > 0 ? o.step : Math.max(1, Math.round(HW / 224));
  const n = Math.ceil(HW / step);
  const image = ctx.input.data;
  const base = o.baseline === 'blur' ? riseBlur(image, g) : new Float32Array(image.length).fill(o.value);
  const [start, finish] = mode === 'deletion' ? [image, base] : [base, image];
  const order = salientOrder(ctx.map);
  const size = image.length;
  const make = (from: number, to: number): Tensor => {
    const out = new Float32Array((to - from) * size);
    for (let r = from; r < to; r++) {
      const row = out.subarray((r - from) * size, (r - from + 1) * size);
      row.set(start);
      for (let i = 0, m = Math.min(HW, r * step); i < m; i++) {
        const p = order[i]! * g.pixelStride;
        for (let c = 0; c < g.channels; c++) row[p + c * g.channelStride] = finish[p + c * g.channelStride]!;
      }
    }
    return { data: out, shape: [to - from, ...ctx.input.shape.slice(1)] };
  };
  const logits = await ctx.forwardBatch({ count: n + 1, make }, { batch: o.batch });
  const y = Array.from(ctx.scores(logits));
  const x = y.map((_, i) => Math.min(HW, i * step) / HW);
  return { value: riseAuc(y), curve: { x, y }, details: { steps: n, step } };
}
