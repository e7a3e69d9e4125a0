import { rename, writeFile } from 'node:fs/promises';
import type { CliRenderer } from '../wiring.js';
import type { EvaluationRecord } from './evaluation-spec.js';
import type { EvaluationInput } from './evaluate-inputs.js';
import type { LoadedEvaluator } from './load-evaluator.js';
import { reportHtml, type ReportContent } from './report-html.js';
import { bestAndWorst, rankingMetric } from './report-images.js';
import { meanCurve, summarize, valuesByMethod, type Summary } from './report-stats.js';
import { boxPlot, linePlot, PALETTE } from './svg-plots.js';

/** Per method, per metric id: the summary of its values over the images. */
export function summarizeRecords(
  records: readonly EvaluationRecord[],
  methods: readonly string[],
  metrics: readonly string[],
): Map<string, Map<string, Summary>> {
  const values = valuesByMethod(records, methods, metrics);
  return new Map(methods.map((m) => [m, new Map(metrics.map((k) => [k, summarize(values.get(m)!.get(k)!)] as const))]));
}

/** The report's plots: a box plot per metric, and the mean curve per method of each metric with curves. */
export function reportPlots(
  records: readonly EvaluationRecord[],
  methods: readonly string[],
  metrics: readonly string[],
) {
  const summaries = summarizeRecords(records, methods, metrics);
  const color = (i: number) => PALETTE[i % PALETTE.length]!;
  const distributions = metrics.map((k) =>
    boxPlot(
      k,
      methods.map((m, i) => ({ label: m, s: summaries.get(m)!.get(k)!, color: color(i) })),
    ),
  );
  const curves: { metric: string; svg: string }[] = [];
  for (const k of metrics) {
    const series = methods.flatMap((m, i) => {
      const c = meanCurve(records, m, k);
      return c ? [{ label: m, x: c.x, y: c.y, color: color(i) }] : [];
    });
    if (series.length) curves.push({ metric: k, svg: linePlot(k, series, 'fraction of pixels changed', 'score') });
  }
  return { summaries, distributions, curves };
}

/**
 * Writes the HTML report of `records` to `path` (through a temporary file and a rename, so a report
 * on disk is always complete).
 */
export async function writeReport(
  path: string,
  records: readonly EvaluationRecord[],
  run: { readonly inputs: readonly EvaluationInput[]; readonly failures?: ReportContent['failures'] },
  ev: LoadedEvaluator,
  render: CliRenderer,
  sanitySvg?: string,
): Promise<void> {
  const { methods, metrics: ids } = ev.spec;
  const metrics = ev.metrics.map((m) => m.metric);
  const { summaries, distributions, curves } = reportPlots(records, methods, ids);
  const ranked = rankingMetric(metrics);
  const html = reportHtml({
    title: `gradscope evaluate: ${ev.spec.modelLabel}`,
    facts: [
      `model ${ev.spec.modelLabel} (${ev.model.name}) on ${ev.model.backend}; layer ${ev.layers.join(', ') || '(none)'}`,
      `${run.inputs.length} images, ${methods.length} methods, ${records.length} records`,
      `metrics: ${ids.join(', ')}${Object.keys(ev.spec.metricOptions).length ? `; options ${JSON.stringify(ev.spec.metricOptions)}` : ''}`,
    ],
    methods,
    metrics,
    summaries,
    distributions,
    curves: curves.map((c) => c.svg),
    ...(ranked && { ranking: { metric: ranked, images: await bestAndWorst(records, run.inputs, ranked, ev, render) } }),
    ...(sanitySvg && { sanitySvg }),
    ...(run.failures?.length && { failures: run.failures }),
  });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, html);
  await rename(tmp, path);
}
