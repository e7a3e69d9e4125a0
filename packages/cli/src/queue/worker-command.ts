import type { Json } from '@gradscope/queue';
import { usageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { evaluateJob } from '../evaluate/evaluate-job.js';
import { formatHelp, parseFlags, str, type FlagSpecs } from '../flags.js';
import { HELP_FLAGS } from '../common-flags.js';
import type { Wiring } from '../wiring.js';
import type { EvaluationPayload } from './evaluation-tasks.js';
import { evaluatorCache } from './evaluator-cache.js';
import { loadQueue } from './load-queue.js';

const FLAGS: FlagSpecs = {
  queue: { type: 'string', value: '<redis://host:port/db>', help: 'the queue to take jobs from (required)' },
  concurrency: { type: 'string', value: '<n>', default: '1', help: 'jobs this process runs at once' },
  ...HELP_FLAGS,
};

export const workerHelp = (): string =>
  formatHelp(
    ['gradscope worker --queue redis://host:port/db [--concurrency n]'],
    "Runs the jobs of `gradscope evaluate --queue` submissions until stopped: loads each model once (by content hash), verifies every file's sha256 (paths must be on storage all machines share), stores each (image, method) result in Redis exactly once. SIGTERM/Ctrl-C: finishes the running jobs, then exits; a killed worker's job is retried elsewhere once its lock expires. Run one worker per core.",
    FLAGS,
  );

/** Resolves when the process gets SIGTERM or SIGINT. */
const stopSignal = (): Promise<NodeJS.Signals> =>
  new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });

/** `gradscope worker`: returns the exit code once stopped by a signal. */
export async function workerCommand(args: readonly string[], io: CliIo, w: Wiring): Promise<number> {
  const { values } = parseFlags('worker', args, FLAGS, 0);
  if (values.help) {
    io.stdout.write(workerHelp());
    return 0;
  }
  const url = str(values.queue);
  if (!url) throw usageError(`worker needs --queue redis://host:port/db (see 'gradscope worker --help')`);
  const concurrency = Number(str(values.concurrency) ?? '1');
  if (!Number.isInteger(concurrency) || concurrency < 1) throw usageError('--concurrency must be a positive integer');
  const { startWorker } = await loadQueue();
  // one runtime thread per model, as `evaluate` runs locally, so a record does not depend on where it ran
  const local = { ...w, backends: w.singleThreadBackends?.() ?? w.backends };
  const cache = evaluatorCache(local, io.cwd ?? process.cwd());
  const stopped = stopSignal();
  const worker = await startWorker({
    url,
    concurrency,
    ...timingsFromEnv(io.env ?? {}),
    process: async (payload: Json) => {
      const { specKey, spec, job } = payload as unknown as EvaluationPayload;
      return (await evaluateJob(job, await cache.get(specKey, spec))) as unknown as Json;
    },
  });
  io.stderr.write(`worker: ready on ${url} (pid ${process.pid}, concurrency ${concurrency})\n`);
  const signal = await stopped;
  io.stderr.write(`worker: ${signal}: finishing running jobs (again to stop at once)\n`);
  // a second signal (e.g. while Redis is gone and close() waits for it) exits without waiting
  void stopSignal().then(() => process.exit(1));
  await worker.close();
  await cache.dispose();
  return 0;
}

/**
 * Lock and stalled-check timings from `GRADSCOPE_QUEUE_LOCK_MS` / `GRADSCOPE_QUEUE_STALLED_MS`
 * (tests make them short; BullMQ's 30 s defaults suit real runs).
 */
function timingsFromEnv(env: Readonly<Record<string, string | undefined>>) {
  const lock = Number(env['GRADSCOPE_QUEUE_LOCK_MS']);
  const stalled = Number(env['GRADSCOPE_QUEUE_STALLED_MS']);
  return {
    ...(lock > 0 && { lockDurationMs: lock }),
    ...(stalled > 0 && { stalledIntervalMs: stalled }),
  };
}
