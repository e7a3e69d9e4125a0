import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { sidecarPath } from '@gradscope/core';
import type { ContentRef, Json, QueueTask } from '@gradscope/queue';
import type { EvaluationJob, EvaluationSpec } from '../evaluate/evaluation-spec.js';
import { loadQueue } from './load-queue.js';

/** What a queue worker gets for one (image, method): the run's spec and a one-method job. */
export interface EvaluationPayload {
  /** Content hash of the spec (model bytes and every setting): workers cache loaded models by it. */
  readonly specKey: string;
  readonly spec: EvaluationSpec;
  readonly job: EvaluationJob;
}

/**
 * The files that decide what a model computes: the file itself, a tfjs `model.json`'s weight shards,
 * and its `<name>.gradscope.json` sidecar when there is one (it sets normalisation and classes).
 */
async function modelFiles(path: string): Promise<string[]> {
  const sidecar = sidecarPath(path);
  const extra = sidecar !== path && existsSync(sidecar) ? [sidecar] : [];
  if (!path.endsWith('.json')) return [path, ...extra];
  const manifest = JSON.parse(await readFile(path, 'utf8')) as { weightsManifest?: { paths: string[] }[] };
  const shards = (manifest.weightsManifest ?? []).flatMap((g) => g.paths.map((p) => join(dirname(path), p)));
  return [path, ...shards, ...extra];
}

/**
 * One queue task per (image, method) of `jobs`. Ids hash what decides a record — the model's bytes,
 * the spec's settings (not its paths), the image's name (it seeds the metrics) and bytes, the mask's
 * bytes, the target and the method — so the same audit submitted twice adds nothing.
 */
export async function evaluationTasks(
  spec: EvaluationSpec,
  jobs: readonly EvaluationJob[],
): Promise<{ task: QueueTask; job: EvaluationJob }[]> {
  const { contentRef, taskId } = await loadQueue();
  const model = await Promise.all((await modelFiles(spec.model)).map(contentRef));
  const { model: _path, modelLabel: _label, ...settings } = spec;
  const specKey = taskId({ model: model.map((f) => f.sha256), settings } as unknown as Json);
  const out: { task: QueueTask; job: EvaluationJob }[] = [];
  for (const job of jobs) {
    const image = await contentRef(job.file);
    const mask: ContentRef[] = job.mask ? [await contentRef(job.mask)] : [];
    for (const method of job.methods) {
      const one: EvaluationJob = { ...job, methods: [method] };
      const id = taskId({
        specKey,
        image: [job.image, image.sha256],
        mask: mask.map((m) => m.sha256),
        target: job.target ?? null,
        seed: job.seed,
        method,
      });
      const payload: EvaluationPayload = { specKey, spec, job: one };
      out.push({ task: { id, files: [...model, image, ...mask], payload: payload as unknown as Json }, job: one });
    }
  }
  return out;
}
