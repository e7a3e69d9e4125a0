import { BadInputError, type RunControl } from '@gradscope/core';
import type { Metric, MetricResult, MetricSubject } from './metric.js';
import { metricContext } from './metric-context.js';
import { resolveMetricOptions, type MetricOptionValues } from './metric-options.js';

/** Checks what `metric` needs, fills its option defaults, and computes it on one subject. */
export async function runMetric<O extends MetricOptionValues>(
  metric: Metric<O>,
  subject: MetricSubject,
  options: Readonly<Record<string, unknown>> = {},
  control: RunControl = {},
): Promise<MetricResult> {
  for (const need of metric.needs)
    if (subject[need] === undefined)
      throw new BadInputError(
        `metric '${metric.id}' needs ${need === 'mask' ? 'a ground-truth mask' : 'a way to re-explain the input'}`,
      );
  const o = resolveMetricOptions(metric, options);
  return metric.compute(await metricContext(subject, control), o);
}
