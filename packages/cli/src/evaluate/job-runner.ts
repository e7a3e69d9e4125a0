import { Worker } from 'node:worker_threads';
import { CliError } from '../cli-error.js';
import type { EvaluationJob, EvaluationRecord, EvaluationSpec } from './evaluation-spec.js';
import { evaluateJob } from './evaluate-job.js';
import type { LoadedEvaluator } from './load-evaluator.js';

/** Runs jobs: `slots` of them at a time. */
export interface JobRunner {
  readonly slots: number;
  run(job: EvaluationJob): Promise<EvaluationRecord[]>;
  close(): Promise<void>;
}

/** One job at a time on a model loaded in this thread. */
export const inProcessRunner = (ev: LoadedEvaluator): JobRunner => ({
  slots: 1,
  run: (job) => evaluateJob(job, ev),
  close: async () => undefined,
});

type Reply = { id: number; records: EvaluationRecord[] } | { id: number; error: string };

/** Starts one worker thread and waits until its model is loaded. */
function startWorker(spec: EvaluationSpec): Promise<Worker> {
  const w = new Worker(new URL('./evaluate-worker.js', import.meta.url), { workerData: spec });
  return new Promise((resolve, reject) => {
    const fail = (e: unknown) => void w.terminate().finally(() => reject(e));
    w.once('message', (m: 'ready' | { error: string }) => (m === 'ready' ? resolve(w) : fail(new CliError(m.error))));
    w.once('error', fail);
  });
}

/**
 * `n` worker threads, each with its own copy of the model (loaded in parallel), each running one job
 * at a time. A worker's failure rejects that job with the worker's one-line message.
 */
export async function workerPoolRunner(spec: EvaluationSpec, n: number): Promise<JobRunner> {
  const started = await Promise.allSettled(Array.from({ length: n }, () => startWorker(spec)));
  const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw failed.reason;
  }
  const idle = [...workers];
  const waiting: ((w: Worker) => void)[] = [];
  const pending = new Map<number, { resolve: (r: EvaluationRecord[]) => void; reject: (e: unknown) => void }>();
  let next = 0;
  let closing = false;
  for (const w of workers) {
    w.on('message', (m: Reply) => {
      const p = pending.get(m.id);
      pending.delete(m.id);
      const give = waiting.shift();
      if (give) give(w);
      else idle.push(w);
      if ('error' in m) p?.reject(new CliError(m.error));
      else p?.resolve(m.records);
    });
    const failAll = (e: unknown) => {
      for (const p of pending.values()) p.reject(e);
      pending.clear();
    };
    w.on('error', failAll);
    // a worker that dies (out of memory, a native crash) fails its job instead of leaving it pending
    w.on('exit', (code) => {
      if (closing) return;
      if (idle.includes(w)) idle.splice(idle.indexOf(w), 1);
      failAll(new CliError(`an evaluate worker thread exited (code ${code}) in the middle of a job`));
    });
  }
  const acquire = (): Promise<Worker> => {
    const w = idle.pop();
    return w ? Promise.resolve(w) : new Promise((r) => waiting.push(r));
  };
  return {
    slots: n,
    async run(job) {
      const w = await acquire();
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        w.postMessage({ id, job });
      });
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
