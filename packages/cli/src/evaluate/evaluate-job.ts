import { readFile } from 'node:fs/promises';
import type { ExplainRequest, Target, Tensor } from '@gradscope/core';
import { CliError } from '../cli-error.js';
import { readInput } from '../read-input.js';
import type { EvaluationJob, EvaluationRecord } from './evaluation-spec.js';
import type { LoadedEvaluator } from './load-evaluator.js';
import { readMask } from './read-mask.js';
import { scoreExplanation } from './score-metrics.js';
import { withClass } from './with-class.js';

/** The spec's target, with its class index fixed when the job names one (a manifest line's `target`). */
export function jobTarget(t: Target, index: number | undefined): Target {
  if (index === undefined) return t;
  if (t.kind === 'class' || t.kind === 'softmax' || t.kind === 'rest' || t.kind === 'finer') return { ...t, index };
  return { kind: 'class', index };
}

/** The job's image as the network sees it. */
export async function readImage(job: EvaluationJob, ev: LoadedEvaluator): Promise<Tensor> {
  const buf = await readFile(job.file).catch(() => {
    throw new CliError(`input file not found: ${job.image}`);
  });
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  const max = ev.spec.maxPixels;
  return readInput(bytes, job.image, ev.model, ev.normalization, max ? { maxPixels: max } : {}).tensor;
}

/**
 * Scores one image: explains it with each of `job.methods` (their captures share one forward pass),
 * then runs every metric of the evaluation on each map. Returns one record per method, in the job's
 * order. Pure in the sense that matters for resuming and for queues: the same job on the same loaded
 * model gives the same records, whichever process or thread runs it.
 */
export async function evaluateJob(job: EvaluationJob, ev: LoadedEvaluator): Promise<EvaluationRecord[]> {
  const { model } = ev;
  const x = await readImage(job, ev);
  const { height: H, width: W } = model.input;
  const mask = job.mask ? await readMask(job.mask, job.mask, H, W) : undefined;
  const target = jobTarget(ev.spec.target, job.target);
  const requests: ExplainRequest[] = job.methods.map((id) => {
    const m = ev.methods.get(id);
    if (!m) throw new CliError(`method '${id}' is not part of this evaluation`);
    return { method: id, ...(m.method.usesLayers && { layer: ev.layers }), target, options: m.options };
  });
  const explanations = await ev.gs.explainMany(model, x, requests);
  const records: EvaluationRecord[] = [];
  for (const [k, ex] of explanations.entries()) {
    const req = requests[k]!;
    const scores = await scoreExplanation(ex, ev.metrics, {
      model,
      input: x,
      target,
      seed: job.seed,
      ...(mask && { mask }),
      explain: async (input) =>
        (await ev.gs.explain(model, input, { ...req, target: withClass(target, ex.target.classIndex) })).map,
    });
    records.push({
      image: job.image,
      method: req.method,
      target: ex.target.classIndex,
      metrics: scores.metrics,
      ...(Object.keys(scores.curves).length && { curves: scores.curves }),
    });
  }
  return records;
}
