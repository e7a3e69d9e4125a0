import { readFile } from 'node:fs/promises';
import { tensorToImage } from '@gradscope/core';
import type { Metric } from '@gradscope/metrics';
import { readInput } from '../read-input.js';
import type { CliRenderer } from '../wiring.js';
import type { EvaluationInput } from './evaluate-inputs.js';
import type { EvaluationRecord } from './evaluation-spec.js';
import type { LoadedEvaluator } from './load-evaluator.js';
import { scalarOf } from './report-stats.js';
import { withClass } from './with-class.js';

/** One picture of the report: an image's map over it, as a PNG data URL, and its value. */
export interface RankedImage {
  readonly image: string;
  readonly value: number;
  readonly png: string;
}

/** The metric images are ranked by: the first one with a direction (higher or lower is better). */
export const rankingMetric = (metrics: readonly Metric<any>[]): Metric<any> | undefined =>
  metrics.find((m) => m.higherIsBetter !== null);

async function picture(
  ev: LoadedEvaluator,
  render: CliRenderer,
  input: EvaluationInput,
  method: string,
  target: number | null,
) {
  const buf = await readFile(input.file);
  const x = readInput(new Uint8Array(buf), input.image, ev.model, ev.normalization).tensor;
  const m = ev.methods.get(method)!;
  const ex = await ev.gs.explain(ev.model, x, {
    method,
    ...(m.method.usesLayers && { layer: ev.layers }),
    target: withClass(ev.spec.target, target),
    options: m.options,
  });
  const image = tensorToImage(x, ev.model.input.layout, ev.normalization, ev.model.input.channelOrder);
  return `data:image/png;base64,${Buffer.from(render.encodePng(render.overlay(image, ex.map))).toString('base64')}`;
}

/**
 * For each method, its `k` best and `k` worst images by `metric` (best first), each explained again
 * and drawn over the image. Images whose value is not finite are left out.
 */
export async function bestAndWorst(
  records: readonly EvaluationRecord[],
  inputs: readonly EvaluationInput[],
  metric: Metric<any>,
  ev: LoadedEvaluator,
  render: CliRenderer,
  k = 3,
): Promise<Map<string, { best: RankedImage[]; worst: RankedImage[] }>> {
  const byName = new Map(inputs.map((x) => [x.image, x]));
  const out = new Map<string, { best: RankedImage[]; worst: RankedImage[] }>();
  for (const method of ev.spec.methods) {
    const ranked = records
      .filter((r) => r.method === method && byName.has(r.image))
      .map((r) => ({ image: r.image, target: r.target, value: scalarOf(r.metrics[metric.id]) }))
      .filter((r) => Number.isFinite(r.value))
      .sort((a, b) => (metric.higherIsBetter ? b.value - a.value : a.value - b.value));
    const draw = async (xs: typeof ranked) =>
      Promise.all(
        xs.map(async (r) => ({
          image: r.image,
          value: r.value,
          png: await picture(ev, render, byName.get(r.image)!, method, r.target),
        })),
      );
    const best = ranked.slice(0, k);
    const worst = ranked.slice(Math.max(k, ranked.length - k)).reverse();
    out.set(method, { best: await draw(best), worst: await draw(worst) });
  }
  return out;
}
