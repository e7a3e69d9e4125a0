import type { Explanation, Model, Target, Tensor } from '@gradscope/core';
import { resampleCurve } from './resample-curve.js';
import { withClass } from './with-class.js';
import { runMetric, type Metric, type MetricValue } from '@gradscope/metrics';

/** What scoring one explanation needs besides the explanation itself. */
export interface ScoreInput {
  readonly model: Model;
  readonly input: Tensor;
  readonly target: Target;
  readonly mask?: Tensor;
  readonly seed: number;
  /** Re-explains another input the same way (sensitivity, sanity checks). */
  readonly explain: (input: Tensor) => Promise<Tensor>;
}

export interface Scores {
  readonly metrics: Record<string, MetricValue>;
  readonly curves: Record<string, { x: readonly number[]; y: readonly number[] }>;
}

/** Runs each metric on one explanation's map, in order; returns their values and any curves (resampled to 21 points). */
export async function scoreExplanation(
  ex: Explanation,
  metrics: readonly { readonly metric: Metric<any>; readonly options: Readonly<Record<string, unknown>> }[],
  s: ScoreInput,
): Promise<Scores> {
  const out: Scores = { metrics: {}, curves: {} };
  const subject = {
    model: s.model,
    input: s.input,
    map: ex.map,
    target: withClass(s.target, ex.target.classIndex),
    seed: s.seed,
    explain: s.explain,
    ...(s.mask && { mask: s.mask }),
    // input-space methods: the attribution itself (Captum's infidelity uses it over the [H, W] map)
    ...(ex.space === 'input' && { attribution: ex.raw }),
  };
  for (const { metric, options } of metrics) {
    const r = await runMetric(metric, subject, options);
    out.metrics[metric.id] = r.value;
    if (r.curve && r.curve.x.length) out.curves[metric.id] = resampleCurve(r.curve);
  }
  return out;
}
