import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QueueUnreachableError } from './errors.js';
import { RateWindow, type QueueProgress } from './queue-progress.js';
import { DEFAULT_ATTEMPTS, DEFAULT_QUEUE, type QueueTask, type TaskOutcome } from './queue-task.js';
import { parseQueueUrl, type QueueUrl } from './queue-url.js';
import { openRedis, redisOptions } from './redis-client.js';
import { finishedMark, knownOutcomes } from './task-store.js';

export interface SubmitOptions {
  /** `redis://host:port/db`. */
  readonly url: string;
  readonly tasks: readonly QueueTask[];
  readonly queue?: string;
  /** Attempts per job (a crash counts as one); default 3. */
  readonly attempts?: number;
  /** Called after every poll. */
  readonly onProgress?: (p: QueueProgress) => void;
  readonly pollMs?: number;
  /** How long Redis may stay unreachable mid-run before the submitter gives up (default 60 s). */
  readonly outageMs?: number;
  readonly signal?: AbortSignal;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class PollTimeout extends Error {}

/** `p`, or a `PollTimeout` after `ms`. */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PollTimeout(`no answer for ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Adds the tasks that have neither a result nor a job yet; retries the ones that failed before. */
async function enqueue(queue: Queue, tasks: readonly QueueTask[], attempts: number): Promise<void> {
  for (let i = 0; i < tasks.length; i += 500) {
    const part = tasks.slice(i, i + 500);
    await queue.addBulk(
      part.map((t) => ({
        name: 'task',
        data: { files: t.files, payload: t.payload },
        opts: {
          jobId: t.id,
          attempts,
          backoff: { type: 'fixed', delay: 500 },
          removeOnComplete: true,
          removeOnFail: false,
        },
      })),
    );
  }
}

/**
 * Submits `tasks` to the queue at `url` and waits until each has an outcome: its stored result, or
 * the error of its last attempt. Job ids are content hashes, so submitting the same tasks twice adds
 * nothing and tasks already done are not run again; tasks that failed for good on an earlier
 * submission are retried once more. Redis unreachable at the start, or for longer than `outageMs`
 * mid-run, is a `QueueUnreachableError`.
 */
export async function submitTasks(options: SubmitOptions): Promise<Map<string, TaskOutcome>> {
  const url = parseQueueUrl(options.url);
  const name = options.queue ?? DEFAULT_QUEUE;
  const client = await openRedis(url);
  const queue = new Queue(name, { connection: redisOptions(url) });
  queue.on('error', () => {}); // outages are detected by the poll below
  try {
    const ids = [...new Set(options.tasks.map((t) => t.id))];
    const before = await knownOutcomes(client, name, ids);
    for (const [id, o] of before) {
      if ('error' in o) await (await queue.getJob(id))?.retry('failed');
      if ('error' in o) before.delete(id);
    }
    await enqueue(
      queue,
      options.tasks.filter((t) => !before.has(t.id)),
      options.attempts ?? DEFAULT_ATTEMPTS,
    );
    return await follow(client, queue, url, before, options);
  } finally {
    await queue.close().catch(() => {});
    client.disconnect();
  }
}

/**
 * Re-adds pending tasks whose job is gone while no result was stored (a Redis that restarted from a
 * persistence file older than its last writes): without this the run would wait forever. Results are
 * stored before a job completes, so "no job, then still no result" means the job was lost.
 */
async function requeueLost(
  client: Redis,
  queue: Queue,
  ids: readonly string[],
  outcomes: Map<string, TaskOutcome>,
  byId: ReadonlyMap<string, QueueTask>,
  options: SubmitOptions,
): Promise<void> {
  const pending = ids.filter((id) => !outcomes.has(id));
  const exists = (await client.pipeline(pending.map((id) => ['exists', `bull:${queue.name}:${id}`])).exec()) ?? [];
  const gone = pending.filter((_, k) => exists[k]?.[1] === 0);
  if (gone.length === 0) return;
  const now = await knownOutcomes(client, queue.name, gone);
  for (const [id, o] of now) outcomes.set(id, o);
  const lost = gone.filter((id) => !now.has(id)).map((id) => byId.get(id)!);
  await enqueue(queue, lost, options.attempts ?? DEFAULT_ATTEMPTS);
}

/** Polls until every id has an outcome. */
async function follow(
  client: Redis,
  queue: Queue,
  url: QueueUrl,
  outcomes: Map<string, TaskOutcome>,
  options: SubmitOptions,
): Promise<Map<string, TaskOutcome>> {
  const byId = new Map(options.tasks.map((t) => [t.id, t]));
  const ids = [...byId.keys()];
  const rate = new RateWindow();
  let downSince: number | null = null;
  const outageMs = options.outageMs ?? 60_000;
  let mark = '';
  let polls = 0;
  // ioredis says `ready` on every (re)connection: after one, Redis may have restarted from an older file
  let readies = 0;
  let seenReadies = 0;
  client.on('ready', () => readies++);
  while (true) {
    options.signal?.throwIfAborted();
    try {
      const step = async () => {
        const now = await finishedMark(client, queue.name);
        // the sizes can stay equal while outcomes change (another audit's failed job retried as
        // one of ours fails): a full look every 20 polls catches that
        if (now !== mark || downSince !== null || ++polls % 20 === 0) {
          const pending = ids.filter((id) => !outcomes.has(id));
          for (const [id, o] of await knownOutcomes(client, queue.name, pending)) outcomes.set(id, o);
          mark = now;
        }
        if (downSince !== null || readies !== seenReadies) {
          seenReadies = readies;
          await requeueLost(client, queue, ids, outcomes, byId, options);
        }
        return queue.getWorkersCount();
      };
      // Commands wait in ioredis's offline queue while Redis is down: a poll that hangs is an outage too.
      const workers = await withTimeout(step(), outageMs);
      downSince = null;
      const failed = [...outcomes.values()].filter((o) => 'error' in o).length;
      const r = rate.add(Date.now(), outcomes.size);
      const left = ids.length - outcomes.size;
      const done = outcomes.size - failed;
      options.onProgress?.({ total: ids.length, done, failed, workers, rate: r, etaSeconds: r > 0 ? left / r : null });
      if (left === 0) return outcomes;
    } catch (e) {
      downSince ??= Date.now();
      const down = Date.now() - downSince;
      if (e instanceof PollTimeout || down > outageMs) {
        const reason = e instanceof Error ? e.message.split('\n', 1)[0]! : String(e);
        throw new QueueUnreachableError(url.label, `lost mid-run (${reason})`, { cause: e });
      }
    }
    await sleep(options.pollMs ?? 500);
  }
}
