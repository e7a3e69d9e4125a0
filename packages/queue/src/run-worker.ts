import { Worker, type Job } from 'bullmq';
import { ContentVerifier } from './content-ref.js';
import { DEFAULT_QUEUE, type QueueTask } from './queue-task.js';
import { parseQueueUrl } from './queue-url.js';
import { openRedis, redisOptions, resultsKey } from './redis-client.js';
import type { Json } from './task-id.js';

/** Computes one task's result from its payload (files already verified). */
export type TaskProcessor = (payload: Json, job: { readonly id: string; readonly attempt: number }) => Promise<Json>;

export interface WorkerOptions {
  readonly url: string;
  readonly process: TaskProcessor;
  readonly queue?: string;
  /** Jobs this process runs at once (default 1: the model work is CPU-bound). */
  readonly concurrency?: number;
  /** How long a job's lock lives without a heartbeat (BullMQ renews it at half this); default 30 s. */
  readonly lockDurationMs?: number;
  /** How often this worker looks for jobs whose lock expired (a crashed worker's); default 30 s. */
  readonly stalledIntervalMs?: number;
  /** Times a job may stall (its worker died) before it fails for good; default 2. */
  readonly maxStalledCount?: number;
  /** Called when a job finishes here, with its outcome. */
  readonly onJob?: (e: { id: string; ok: boolean; error?: string }) => void;
}

/** A running worker: `close()` stops taking jobs, lets the running ones finish, and disconnects. */
export interface QueueWorker {
  close(): Promise<void>;
}

/**
 * Processes jobs from the queue at `url` with `process`. Before running a job it verifies the files
 * the job refers to and skips the work if a result is already stored (a job that runs twice after a
 * stall); the result is written with HSETNX, so each job id has exactly one stored result, the first.
 * A worker that dies mid-job loses its lock; another worker's stalled-job check puts the job back.
 */
export async function startWorker(options: WorkerOptions): Promise<QueueWorker> {
  const url = parseQueueUrl(options.url);
  const name = options.queue ?? DEFAULT_QUEUE;
  const client = await openRedis(url);
  const verifier = new ContentVerifier();
  const key = resultsKey(name);
  const run = async (job: Job<Omit<QueueTask, 'id'>>): Promise<string> => {
    const id = job.id!;
    if (await client.hexists(key, id)) return 'stored before';
    for (const f of job.data.files) await verifier.verify(f);
    const result = await options.process(job.data.payload, { id, attempt: job.attemptsMade + 1 });
    const added = await client.hsetnx(key, id, JSON.stringify(result));
    return added ? 'stored' : 'stored before';
  };
  const worker = new Worker(name, run, {
    connection: redisOptions(url),
    concurrency: options.concurrency ?? 1,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 2,
    name: `${process.pid}`,
  });
  worker.on('error', () => {}); // connection errors: ioredis reconnects; jobs are retried by the stalled check
  worker.on('completed', (job) => options.onJob?.({ id: job.id!, ok: true }));
  worker.on('failed', (job, err) => job && options.onJob?.({ id: job.id!, ok: false, error: err.message }));
  await worker.waitUntilReady();
  return {
    async close() {
      await worker.close();
      client.disconnect();
    },
  };
}
