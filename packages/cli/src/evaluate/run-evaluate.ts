import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import type { Wiring } from '../wiring.js';
import type { EvaluationInput } from './evaluate-inputs.js';
import { evaluateProgress } from './evaluate-progress.js';
import { imageSeed, type EvaluationJob, type EvaluationSpec } from './evaluation-spec.js';
import { inProcessRunner, workerPoolRunner, type JobRunner } from './job-runner.js';
import { loadEvaluator, type LoadedEvaluator } from './load-evaluator.js';
import { checkRunConfig } from './run-config.js';
import { runJobs } from './run-jobs.js';
import { openResults, readResults, recordKey } from './results-file.js';
import { sanityFigures } from './sanity-figure.js';
import { writeReport } from './write-report.js';
import { appendQueued, queueFailures, type QueuedFailure } from '../queue/run-queued.js';

/** Everything `gradscope evaluate` decided from its command line. */
export interface EvaluateRun {
  readonly spec: EvaluationSpec;
  readonly inputs: readonly EvaluationInput[];
  /** The sidecar's class names (a manifest's `target` may name one). */
  readonly classes: readonly string[];
  /** Absolute output folder. */
  readonly out: string;
  readonly resume: boolean;
  readonly workers: number;
  /** `--queue redis://…`: run the jobs on `gradscope worker`s through this queue instead of here. */
  readonly queue?: string;
}

export const RESULTS_FILE = 'results.jsonl';
export const REPORT_FILE = 'report.html';

/** A manifest's `target` as a class index (a name is looked up in the sidecar's classes). */
function classIndex(t: number | string | undefined, classes: readonly string[], image: string, K: number) {
  if (t === undefined) return undefined;
  const i = typeof t === 'number' ? t : classes.indexOf(t);
  if (!Number.isInteger(i) || i < 0 || i >= K)
    throw new CliError(
      `${image}: target ${JSON.stringify(t)} is not a class of this model (${typeof t === 'string' ? `names: ${classes.join(', ') || 'none in the sidecar'}` : `0…${K - 1}`})`,
    );
  return i;
}

/** The jobs still to do: per image, the methods without a record yet. */
function pendingJobs(run: EvaluateRun, ev: LoadedEvaluator, done: ReadonlySet<string>): EvaluationJob[] {
  const jobs: EvaluationJob[] = [];
  for (const x of run.inputs) {
    const target = classIndex(x.target, run.classes, x.image, ev.model.numClasses);
    const methods = run.spec.methods.filter((method) => !done.has(recordKey({ image: x.image, method })));
    if (!methods.length) continue;
    jobs.push({
      image: x.image,
      file: x.file,
      methods,
      seed: imageSeed(x.image),
      ...(x.mask && { mask: x.mask }),
      ...(target !== undefined && { target }),
    });
  }
  return jobs;
}

/**
 * Runs an evaluation: checks everything on a model loaded here, then scores every (image, method)
 * without a record in `<out>/results.jsonl` (on `workers` worker threads, else here), appending each
 * image's records with an fsync as it finishes; at the end writes `<out>/report.html` from every
 * record. A report exists only for a finished run (it is removed when a run starts). Returns the
 * lines to print.
 */
export async function runEvaluate(run: EvaluateRun, wiring: Wiring, io: CliIo): Promise<string[]> {
  const resultsPath = join(run.out, RESULTS_FILE);
  const before = readResults(resultsPath);
  if (before.records.length + before.tornBytes > 0 && !run.resume)
    throw new CliError(
      `${resultsPath} already holds results: pass --resume to continue that run, or choose another --out`,
    );
  const local = { ...wiring, backends: wiring.singleThreadBackends?.() ?? wiring.backends };
  const ev = await loadEvaluator(run.spec, local);
  let runner: JobRunner | undefined;
  try {
    const done = new Set(before.records.map(recordKey));
    const jobs = pendingJobs(run, ev, done);
    await mkdir(run.out, { recursive: true });
    await checkRunConfig(run.out, run.spec, run.resume);
    await rm(join(run.out, REPORT_FILE), { force: true });
    const file = openResults(resultsPath, before);
    let progress: ReturnType<typeof evaluateProgress> | undefined;
    let failures: QueuedFailure[] = [];
    try {
      if (run.queue) failures = await appendQueued(run.queue, run.spec, jobs, io, file);
      else {
        runner = run.workers > 1 ? await workerPoolRunner(run.spec, run.workers) : inProcessRunner(ev);
        // the rate counts from here: models are loaded
        const bar = evaluateProgress(io, run.inputs.length, run.inputs.length - jobs.length);
        progress = bar;
        await runJobs(jobs, runner, (records) => {
          file.append(records);
          bar.image();
        });
      }
    } finally {
      progress?.done();
      file.close();
    }
    const all = readResults(resultsPath).records;
    const sanity = await sanityFigures(ev, pendingJobs(run, ev, new Set())[0]);
    await writeReport(join(run.out, REPORT_FILE), all, { ...run, failures }, ev, wiring.render, sanity);
    if (failures.length) throw queueFailures(failures, join(run.out, REPORT_FILE));
    const n = jobs.reduce((s, j) => s + j.methods.length, 0);
    return [
      `evaluated ${run.inputs.length} image(s) × ${run.spec.methods.length} method(s) with ${run.spec.metrics.length} metric(s): ${n} new record(s)${before.records.length ? `, ${before.records.length} from before` : ''}${before.tornBytes ? ' (a torn last line was dropped)' : ''}`,
      `results: ${resultsPath}`,
      `report:  ${join(run.out, REPORT_FILE)}`,
    ];
  } finally {
    await runner?.close();
    await ev.dispose();
  }
}
