import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWiring } from '../../cli/src/default-wiring.js';
import { evaluateJob } from '../../cli/src/evaluate/evaluate-job.js';
import type { EvaluationRecord } from '../../cli/src/evaluate/evaluation-spec.js';
import { loadEvaluator } from '../../cli/src/evaluate/load-evaluator.js';
import { loadPlugins } from '../../cli/src/plugins.js';
import { runQueued } from '../../cli/src/queue/run-queued.js';
import { DEFAULT_QUEUE } from '../src/index.js';
import { resultsKey } from '../src/redis-client.js';
import { RedisServer } from './redis-server.js';
import { CLI_BIN, shapesAudit } from './shapes-audit.js';
import { spawnReady, stop } from './worker-processes.js';

// Needs packages/cli/dist (turbo run build --filter=@gradscope/cli...): the workers are real CLI processes.
const ENV = { ...process.env, GRADSCOPE_QUEUE_LOCK_MS: '1500', GRADSCOPE_QUEUE_STALLED_MS: '500' };
const IMAGES = 200;
const JOBS = IMAGES * 2; // Grad-CAM and saliency
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let redis: RedisServer;
beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(async () => redis?.stop());

/** The single-process run: every job on one model loaded here, in order. */
async function localRun(audit: ReturnType<typeof shapesAudit>): Promise<EvaluationRecord[]> {
  const base = await defaultWiring();
  const plugins = await loadPlugins(audit.spec.plugins, process.cwd());
  const ev = await loadEvaluator(audit.spec, { ...base, metrics: plugins.metrics });
  try {
    const out: EvaluationRecord[] = [];
    for (const job of audit.jobs) out.push(...(await evaluateJob(job, ev)));
    return out;
  } finally {
    await ev.dispose();
  }
}

describe('gradscope evaluate on the queue with `gradscope worker` processes', () => {
  it('200 images × 2 methods, 3 workers (one SIGKILLed, one SIGTERMed), Redis restarted: equal to a local run', async () => {
    const audit = shapesAudit(mkdtempSync(join(tmpdir(), 'gs-audit-')), IMAGES);
    const args = [CLI_BIN, 'worker', '--queue', redis.url];
    const workers = await Promise.all([0, 1, 2].map(() => spawnReady(args, ENV)));
    const client = new Redis({ host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null });
    client.on('error', () => {});
    let stderr = '';
    const io = { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) } };
    const run = runQueued(redis.url, audit.spec, audit.jobs, io);
    const events: string[] = [];
    const chaos = (async () => {
      const at = async (n: number) => {
        while ((await client.hlen(resultsKey(DEFAULT_QUEUE))) < n) await sleep(50);
      };
      await at(0.2 * JOBS);
      workers[0]!.kill('SIGKILL');
      events.push('SIGKILL');
      await at(0.4 * JOBS);
      events.push(`SIGTERM exit ${await stop(workers[1]!, 'SIGTERM')}`);
      await at(0.6 * JOBS);
      await redis.down();
      await sleep(500);
      await redis.up();
      events.push('redis restarted');
    })();
    const queued = await run;
    await chaos;
    expect(events).toEqual(['SIGKILL', 'SIGTERM exit 0', 'redis restarted']);
    expect(queued.failures).toEqual([]);
    const records = queued.records.flat();
    expect(new Set(records.map((r) => `${r.image} ${r.method}`)).size).toBe(JOBS);
    expect(await client.hlen(resultsKey(DEFAULT_QUEUE))).toBe(JOBS);
    expect(stderr).toMatch(new RegExp(`queue: ${JOBS}/${JOBS} jobs {2}0 failed {2}\\d worker\\(s\\)`));

    // resubmitting adds no job and returns the same records
    const again = await runQueued(redis.url, audit.spec, audit.jobs, io);
    expect(again).toEqual(queued);
    expect(await client.keys(`bull:${DEFAULT_QUEUE}:gs-*`)).toEqual([]);
    await stop(workers[2]!, 'SIGTERM');
    client.disconnect();

    const local = await localRun(audit);
    expect(local.length).toBe(JOBS);
    expect(records).toEqual(local);
    expect(records.some((r) => (r.metrics['mask-energy'] as number) > 0.2)).toBe(true);
  });

  it('an image that cannot be scored fails after its attempts and is listed with its error; the rest complete', async () => {
    const audit = shapesAudit(mkdtempSync(join(tmpdir(), 'gs-audit-')), 3);
    writeFileSync(audit.jobs[1]!.file, 'not an image');
    const worker = await spawnReady([CLI_BIN, 'worker', '--queue', redis.url], ENV);
    const io = { stdout: { write: () => true }, stderr: { write: () => true } };
    const { records, failures } = await runQueued(redis.url, audit.spec, audit.jobs, io, { attempts: 2 });
    await stop(worker, 'SIGTERM');
    expect(failures.map((f) => [f.image, f.method])).toEqual([
      ['shape-001.png', 'gradcam'],
      ['shape-001.png', 'saliency'],
    ]);
    for (const f of failures) expect(f.error).toMatch(/shape-001\.png/);
    expect(records.map((r) => r.length)).toEqual([2, 0, 2]);
  });

  it('an unreachable Redis is one line naming the URL, exit 1', () => {
    const url = `redis://127.0.0.1:${redis.port + 1}/0`;
    const r = spawnSync(process.execPath, [CLI_BIN, 'worker', '--queue', url], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^gradscope: cannot reach the queue at ${url}: [^\n]+\n$`));
  });
});
