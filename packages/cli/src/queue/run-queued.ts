import { CliError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import type { EvaluationJob, EvaluationRecord, EvaluationSpec } from '../evaluate/evaluation-spec.js';
import { evaluationTasks } from './evaluation-tasks.js';
import { loadQueue } from './load-queue.js';
import { queueProgressLine } from './queue-progress-line.js';

/** An (image, method) whose job failed for good on the queue, with the error of its last attempt. */
export interface QueuedFailure {
  readonly image: string;
  readonly method: string;
  readonly error: string;
}

export interface QueuedResults {
  /** Per job of the input, in its order: the records of its methods that succeeded, in method order. */
  readonly records: readonly (readonly EvaluationRecord[])[];
  readonly failures: readonly QueuedFailure[];
}

/**
 * Runs `jobs` on the queue at `url`: one task per (image, method), submitted idempotently, followed
 * with a progress line until every task has a result or has failed for good. Records come back in
 * the jobs' order (the order of a local run, whichever worker ran what); failures are returned, not
 * thrown, so a report can list them. Results live in Redis as workers finish them, so a submitter
 * killed mid-run and started again picks them up without recomputing.
 */
export async function runQueued(
  url: string,
  spec: EvaluationSpec,
  jobs: readonly EvaluationJob[],
  io: CliIo,
  options: { attempts?: number; queue?: string } = {},
): Promise<QueuedResults> {
  const { submitTasks } = await loadQueue();
  const tasks = await evaluationTasks(spec, jobs);
  const progress = queueProgressLine(io);
  let outcomes;
  try {
    outcomes = await submitTasks({
      url,
      tasks: tasks.map((t) => t.task),
      onProgress: (p) => progress.update(p),
      ...options,
    });
  } finally {
    progress.done();
  }
  const byJob = new Map<EvaluationJob, EvaluationRecord[]>();
  const failures: QueuedFailure[] = [];
  let k = 0;
  for (const job of jobs) {
    const records: EvaluationRecord[] = [];
    for (const method of job.methods) {
      const o = outcomes.get(tasks[k++]!.task.id)!;
      if ('error' in o) failures.push({ image: job.image, method, error: o.error });
      else records.push(...(o.result as unknown as EvaluationRecord[]));
    }
    byJob.set(job, records);
  }
  return { records: jobs.map((j) => byJob.get(j)!), failures };
}

/**
 * `evaluate --queue`: runs `jobs` on the queue and appends their records to `file` in job order (as
 * a local run writes them); returns the (image, method) pairs that failed for good.
 */
export async function appendQueued(
  url: string,
  spec: EvaluationSpec,
  jobs: readonly EvaluationJob[],
  io: CliIo,
  file: { append(records: readonly EvaluationRecord[]): void },
): Promise<QueuedFailure[]> {
  const { records, failures } = await runQueued(url, spec, jobs, io);
  for (const r of records) file.append(r);
  return [...failures];
}

/** The error a queue run with failed jobs ends with (after its results and report are written). */
export function queueFailures(failures: readonly QueuedFailure[], report: string): CliError {
  const f = failures[0]!;
  return new CliError(
    `${failures.length} (image, method) job(s) failed on the queue after their attempts, e.g. ${f.image} × ${f.method}: ${f.error.split('\n', 1)[0]} (all listed in ${report})`,
  );
}
