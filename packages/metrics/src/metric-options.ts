import { BadOptionError, resolveOptions, type OptionSpec, type OptionValues } from '@gradscope/core';

/** A list of numbers (ROAD's percentiles); core's `OptionSpec` has scalars only. */
export interface NumbersOptionSpec {
  readonly type: 'numbers';
  readonly default: readonly number[];
  readonly description: string;
  /** Bounds of every element, inclusive. */
  readonly min?: number;
  readonly max?: number;
}

/** A declared metric option: one of core's scalar specs, or a list of numbers. */
export type MetricOptionSpec = OptionSpec | NumbersOptionSpec;
export type MetricOptionValue = number | boolean | string | readonly number[];
export type MetricOptionValues = Record<string, MetricOptionValue>;
export type MetricOptionSpecs<O extends MetricOptionValues> = { readonly [K in keyof O]: MetricOptionSpec };

function checkNumbers(id: string, name: string, spec: NumbersOptionSpec, v: unknown): readonly number[] {
  const bad = (msg: string) => new BadOptionError(id, name, msg);
  if (!Array.isArray(v) || v.length === 0) throw bad(`expected a non-empty list of numbers, got ${JSON.stringify(v)}`);
  for (const x of v as unknown[]) {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw bad(`expected numbers, got ${JSON.stringify(x)}`);
    if (spec.min !== undefined && x < spec.min) throw bad(`${x} is below the minimum ${spec.min}`);
    if (spec.max !== undefined && x > spec.max) throw bad(`${x} is above the maximum ${spec.max}`);
  }
  return [...(v as number[])];
}

/**
 * Fills defaults and validates given options against a metric's declarations: scalar options through
 * core's `resolveOptions`, list options (`type: 'numbers'`) here.
 */
export function resolveMetricOptions<O extends MetricOptionValues>(
  metric: { readonly id: string; readonly options: MetricOptionSpecs<O> },
  given: Readonly<Record<string, unknown>> = {},
): O {
  const specs = Object.entries(metric.options) as [string, MetricOptionSpec][];
  for (const k of Object.keys(given))
    if (!(k in metric.options))
      throw new BadOptionError(metric.id, k, `unknown option; declared: ${specs.map(([n]) => n).join(', ') || 'none'}`);
  const scalarSpecs: Record<string, OptionSpec> = {};
  const scalarGiven: Record<string, unknown> = {};
  const lists: Record<string, readonly number[]> = {};
  for (const [k, spec] of specs) {
    if (spec.type === 'numbers') {
      lists[k] = given[k] === undefined ? [...spec.default] : checkNumbers(metric.id, k, spec, given[k]);
    } else {
      scalarSpecs[k] = spec;
      if (given[k] !== undefined) scalarGiven[k] = given[k];
    }
  }
  const scalars = resolveOptions<OptionValues>({ id: metric.id, options: scalarSpecs }, scalarGiven);
  return { ...scalars, ...lists } as O;
}
