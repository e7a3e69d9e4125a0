import type { OptionSpec } from '@gradscope/core';
import type { Metric } from '@gradscope/metrics';
import { usageError } from './cli-error.js';
import type { FlagSpecs } from './flags.js';

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

function percentiles(s: string): number[] {
  const xs = s.split(',').map((p) => (p.trim() === '' ? NaN : Number(p)));
  if (!xs.length || xs.some((x) => !Number.isFinite(x) || x <= 0 || x >= 100))
    throw usageError(`--road-percentiles expects percentages in (0, 100) separated by commas, got '${s}'`);
  return xs;
}

/** A value for a declared option: a list as its spec holds lists (a string of numbers, or an array). */
function asDeclared(spec: OptionSpec | undefined, xs: readonly number[]): unknown {
  const d = (spec as { default?: unknown } | undefined)?.default;
  if (typeof d === 'string') return xs.join(',');
  if (typeof d === 'number') return xs[0];
  return [...xs];
}

/**
 * Options of the selected metrics from the ROAD flags: `--road-percentiles` sets `percentiles` and
 * `--road-noise` sets `noise` of every selected metric that declares them (the ROAD metrics). A ROAD
 * flag with no metric to take it is a usage error.
 */
export function metricOptionsFromFlags(
  values: Readonly<Record<string, string | boolean | undefined>>,
  selected: readonly Metric<any>[],
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  const give = (flag: string, option: string, value: (spec: OptionSpec | undefined) => unknown) => {
    const takers = selected.filter((m) => option in m.options);
    if (!takers.length) throw usageError(`--${flag} was given but no selected metric takes it (the road-* metrics do)`);
    for (const m of takers)
      out[m.id] = { ...out[m.id], [option]: value((m.options as Record<string, OptionSpec>)[option]) };
  };
  const p = values['road-percentiles'];
  if (typeof p === 'string') {
    const xs = percentiles(p);
    give('road-percentiles', 'percentiles', (spec) => asDeclared(spec, xs));
  }
  const n = values['road-noise'];
  if (typeof n === 'string') {
    const σ = n.trim() === '' ? NaN : Number(n);
    if (!Number.isFinite(σ) || σ < 0) throw usageError(`--road-noise expects a number ≥ 0, got '${n}'`);
    give('road-noise', 'noise', () => σ);
  }
  return out;
}

/** `--help`'s list of the registered metrics. */
export const metricList = (metrics: readonly Metric<any>[]): string =>
  metrics.length
    ? `Metrics:\n${metrics.map((m) => `  ${m.id.padEnd(34)} ${m.title}${m.needs.includes('mask') ? ' (needs masks)' : ''}`).join('\n')}`
    : 'Metrics: none registered (metrics come with @gradscope/metrics, or from a --plugin that exports them)';
