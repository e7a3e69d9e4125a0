import type { Metric, MetricOptionSpec } from '@gradscope/metrics';
import { usageError } from './cli-error.js';
import type { FlagSpec, FlagSpecs } from './flags.js';
import { optionFlag } from './method-flags.js';

/** The flags that choose metrics and set ROAD's options (shared by `evaluate` and `explain`). */
export const METRIC_FLAGS: FlagSpecs = {
  metrics: {
    type: 'string',
    value: '<ids>|all',
    help: "metric ids, comma-separated (see the list below); 'all' = every metric the inputs allow",
  },
  'road-percentiles': {
    type: 'string',
    value: '<p,p,…>',
    default: '20,40,60,80',
    help: 'ROAD metrics: percentages of pixels imputed, one value each',
  },
  'road-noise': {
    type: 'string',
    value: '<σ>',
    default: '0.01',
    help: "ROAD's imputer noise (pytorch-grad-cam's; seeded); 0 switches it off",
  },
};

/** One flag per declared option of every metric, `--<metric id>.<option in kebab-case>` (`--deletion-auc.step`). */
export function metricOptionFlags(metrics: readonly Metric<any>[]): FlagSpecs {
  const out: Record<string, FlagSpec> = {};
  for (const m of metrics)
    for (const [name, spec] of Object.entries(m.options) as [string, MetricOptionSpec][])
      out[optionFlag(m.id, name)] = {
        type: spec.type === 'boolean' ? 'boolean' : 'string',
        help: spec.description,
        ...(spec.type === 'boolean'
          ? { default: String(spec.default) }
          : spec.type === 'numbers'
            ? { value: '<n,n,…>', default: spec.default.join(',') }
            : spec.type === 'enum'
              ? { value: `<${spec.values.join('|')}>`, default: spec.default }
              : { value: `<${spec.type}>`, default: String(spec.default) }),
      };
  return out;
}

/** A metric option flag's text as the option's type (ranges are checked by the metric's own resolver). */
function parseOption(flag: string, spec: MetricOptionSpec, v: string | boolean): unknown {
  if (spec.type === 'boolean' || spec.type === 'enum') return v;
  const xs = String(v)
    .split(',')
    .map((p) => (p.trim() === '' ? NaN : Number(p)));
  if (xs.some((x) => !Number.isFinite(x)) || (spec.type !== 'numbers' && xs.length !== 1))
    throw usageError(
      `--${flag} expects ${spec.type === 'numbers' ? 'numbers separated by commas' : 'a number'}, got '${String(v)}'`,
    );
  return spec.type === 'numbers' ? xs : xs[0];
}

function percentiles(s: string): number[] {
  const xs = s.split(',').map((p) => (p.trim() === '' ? NaN : Number(p)));
  if (!xs.length || xs.some((x) => !Number.isFinite(x) || x < 0 || x > 100))
    throw usageError(`--road-percentiles expects percentiles from 0 to 100 separated by commas, got '${s}'`);
  return xs;
}

/**
 * Options of the selected metrics from the ROAD flags: `--road-percentiles` sets `percentiles` and
 * `--road-noise` sets `noise` of every selected road-* metric (infidelity's own `noise` is not ROAD's);
 * then `--<metric id>.<option>` flags set one metric's option (a flag of a metric not selected is an error). A ROAD
 * flag with no metric to take it is a usage error.
 */
export function metricOptionsFromFlags(
  values: Readonly<Record<string, string | boolean | undefined>>,
  selected: readonly Metric<any>[],
  all: readonly Metric<any>[] = selected,
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  const give = (flag: string, option: string, value: unknown) => {
    const takers = selected.filter((m) => m.id.startsWith('road-') && option in m.options);
    if (!takers.length) throw usageError(`--${flag} was given but no selected metric takes it (the road-* metrics do)`);
    for (const m of takers) out[m.id] = { ...out[m.id], [option]: value };
  };
  const p = values['road-percentiles'];
  if (typeof p === 'string') {
    const xs = percentiles(p);
    give('road-percentiles', 'percentiles', xs);
  }
  const n = values['road-noise'];
  if (typeof n === 'string') {
    const σ = n.trim() === '' ? NaN : Number(n);
    if (!Number.isFinite(σ) || σ < 0) throw usageError(`--road-noise expects a number ≥ 0, got '${n}'`);
    give('road-noise', 'noise', σ);
  }
  const chosen = new Set(selected.map((m) => m.id));
  for (const m of all)
    for (const [name, spec] of Object.entries(m.options) as [string, MetricOptionSpec][]) {
      const flag = optionFlag(m.id, name);
      const v = values[flag];
      if (v === undefined) continue;
      if (!chosen.has(m.id)) throw usageError(`--${flag} was given but metric '${m.id}' is not selected (--metrics)`);
      out[m.id] = { ...out[m.id], [name]: parseOption(flag, spec, v) };
    }
  return out;
}

/** `--help`'s list of the registered metrics. */
export const metricList = (metrics: readonly Metric<any>[]): string =>
  metrics.length
    ? `Metrics:\n${metrics.map((m) => `  ${m.id.padEnd(34)} ${m.title}${m.needs.includes('mask') ? ' (needs masks)' : ''}`).join('\n')}`
    : 'Metrics: none registered (metrics come with @gradscope/metrics, or from a --plugin that exports them)';
