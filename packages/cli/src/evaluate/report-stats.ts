import type { MetricValue } from '@gradscope/metrics';
import type { EvaluationRecord } from './evaluation-spec.js';
import { CURVE_POINTS, resampleCurve } from './resample-curve.js';

/** A metric's value as one number: itself, or the mean over its keys (ROAD: over the percentiles). */
export function scalarOf(v: MetricValue | undefined): number {
  if (v === undefined) return NaN;
  if (typeof v === 'number') return v;
  const xs = Object.values(v);
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}

// two-sided 95% quantiles of Student's t for 1…30 degrees of freedom (then the normal's 1.96)
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** Summary of one metric over one method's images: mean with its 95% CI half-width (Student's t), quartiles. */
export interface Summary {
  readonly n: number;
  /** Images whose value was not a finite number (left out of the rest). */
  readonly missing: number;
  readonly mean: number;
  readonly ci95: number;
  readonly min: number;
  readonly q1: number;
  readonly median: number;
  readonly q3: number;
  readonly max: number;
}

const quantile = (s: readonly number[], q: number): number => {
  const p = (s.length - 1) * q;
  const lo = Math.floor(p);
  return s[lo]! + (s[Math.min(s.length - 1, lo + 1)]! - s[lo]!) * (p - lo);
};

export function summarize(values: readonly number[]): Summary {
  const xs = values.filter(Number.isFinite).sort((a, b) => a - b);
  const n = xs.length;
  const mean = n ? xs.reduce((a, b) => a + b, 0) / n : NaN;
  const sd = n > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : NaN;
  const t = n > 1 ? (T95[n - 2] ?? 1.96) : NaN;
  return {
    n,
    missing: values.length - n,
    mean,
    ci95: (t * sd) / Math.sqrt(n),
    min: n ? xs[0]! : NaN,
    q1: n ? quantile(xs, 0.25) : NaN,
    median: n ? quantile(xs, 0.5) : NaN,
    q3: n ? quantile(xs, 0.75) : NaN,
    max: n ? xs[n - 1]! : NaN,
  };
}

/** Per method, per metric: the values of every image, in record order. */
export function valuesByMethod(
  records: readonly EvaluationRecord[],
  methods: readonly string[],
  metrics: readonly string[],
): Map<string, Map<string, number[]>> {
  const out = new Map(methods.map((m) => [m, new Map(metrics.map((k) => [k, [] as number[]]))]));
  for (const r of records) {
    const row = out.get(r.method);
    if (row) for (const k of metrics) row.get(k)!.push(scalarOf(r.metrics[k]));
  }
  return out;
}

/** The mean curve of one metric for one method: every curve resampled onto `points` x in [0, 1], averaged. */
export function meanCurve(records: readonly EvaluationRecord[], method: string, metric: string, points = CURVE_POINTS) {
  const sum = new Float64Array(points);
  let n = 0;
  for (const r of records) {
    const c = r.method === method ? r.curves?.[metric] : undefined;
    if (!c || !c.x.length) continue;
    n++;
    resampleCurve(c, points).y.forEach((y, i) => (sum[i]! += y));
  }
  return n ? { x: resampleCurve({ x: [0], y: [0] }, points).x, y: [...sum].map((s) => s / n), n } : null;
}
