import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { contentRef, DEFAULT_QUEUE, isQueueUnreachable, submitTasks, taskId, type QueueTask } from '../src/index.js';
import { RedisServer } from './redis-server.js';
import { killAll, spawnReady, stop } from './worker-processes.js';

const WORKER = join(import.meta.dirname, 'fixtures', 'square-worker.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'gs-queue-'));
let redis: RedisServer;
beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(async () => {
  killAll();
  await redis?.stop();
});

async function tasks(count: number, extra: Record<string, unknown> = {}): Promise<QueueTask[]> {
  const file = join(tmp, 'input.txt');
  writeFileSync(file, 'shared input');
  const ref = await contentRef(file);
  return Array.from({ length: count }, (_, n) => {
    const payload = { n, sleepMs: 20, ...extra } as const;
    return { id: taskId({ input: ref.sha256, ...payload }), files: [ref], payload };
  });
}

/** The log lines of the workers: how often each job started and ended. */
function runs(log: string): { starts: Map<string, number>; ends: Map<string, number> } {
  const starts = new Map<string, number>();
  const ends = new Map<string, number>();
  for (const line of readFileSync(log, 'utf8').trim().split('\n')) {
    const [kind, , id] = line.split(' ');
    const m = kind === 'start' ? starts : ends;
    m.set(id!, (m.get(id!) ?? 0) + 1);
  }
  return { starts, ends };
}

describe('@gradscope/queue on a real redis-server', () => {
  it('runs every task exactly once across workers, one SIGKILLed mid-run; resubmitting adds nothing', async () => {
    const log = join(tmp, 'run1.log');
    writeFileSync(log, '');
    const list = await tasks(60);
    const workers = await Promise.all([0, 1, 2].map(() => spawnReady([WORKER, redis.url, log])));
    let killed = false;
    const outcomes = await submitTasks({
      url: redis.url,
      tasks: list,
      pollMs: 100,
      onProgress: (p) => {
        if (!killed && p.done >= 10) {
          killed = true;
          workers[0]!.kill('SIGKILL');
        }
      },
    });
    expect(killed).toBe(true);
    expect([...outcomes.keys()].sort()).toEqual(list.map((t) => t.id).sort());
    for (const t of list) expect(outcomes.get(t.id)).toEqual({ result: { n: t.payload.n, square: t.payload.n ** 2 } });

    const again = await submitTasks({ url: redis.url, tasks: list, pollMs: 100 });
    expect(again).toEqual(outcomes);
    const { starts, ends } = runs(log);
    expect([...ends.values()].every((n) => n >= 1)).toBe(true);
    expect([...starts.values()].reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(list.length + 4); // reruns only of killed jobs
    await Promise.all(workers.map((w) => stop(w, 'SIGTERM')));
  });

  it('fails a job for good after its attempts, with its error, and still finishes the rest', async () => {
    const log = join(tmp, 'run2.log');
    writeFileSync(log, '');
    const ok = await tasks(5, { batch: 2 });
    const bad = (await tasks(1, { batch: 2, fail: true })).map((t) => ({ ...t, payload: { ...t.payload, n: 99 } }));
    const w = await spawnReady([WORKER, redis.url, log]);
    const outcomes = await submitTasks({ url: redis.url, tasks: [...ok, ...bad], attempts: 2, pollMs: 100 });
    expect(outcomes.get(bad[0]!.id)).toEqual({ error: 'cannot square 99' });
    for (const t of ok) expect(outcomes.get(t.id)).toHaveProperty('result');
    expect(runs(log).starts.get(bad[0]!.id)).toBe(2);
    await stop(w, 'SIGTERM');
  });

  it('SIGTERM lets a worker finish its running job before it exits', async () => {
    const log = join(tmp, 'run3.log');
    writeFileSync(log, '');
    const list = await tasks(4, { batch: 3, sleepMs: 400 });
    const w = await spawnReady([WORKER, redis.url, log]);
    const pending = submitTasks({ url: redis.url, tasks: list, pollMs: 50 });
    while (!readFileSync(log, 'utf8').includes('start')) await new Promise((r) => setTimeout(r, 20));
    expect(await stop(w, 'SIGTERM')).toBe(0);
    const { starts, ends } = runs(log);
    expect(ends).toEqual(starts); // every job it started, it finished
    const w2 = await spawnReady([WORKER, redis.url, log]);
    expect([...(await pending).values()].every((o) => 'result' in o)).toBe(true);
    await stop(w2, 'SIGTERM');
  });

  it('survives a Redis restart mid-run (append-only file): every task ends with its result', async () => {
    const log = join(tmp, 'run4.log');
    writeFileSync(log, '');
    const list = await tasks(40, { batch: 4, sleepMs: 30 });
    const workers = await Promise.all([0, 1].map(() => spawnReady([WORKER, redis.url, log])));
    let restarted: Promise<void> | null = null;
    const outcomes = await submitTasks({
      url: redis.url,
      tasks: list,
      pollMs: 100,
      onProgress: (p) => {
        if (!restarted && p.done >= 10)
          restarted = redis
            .down()
            .then(() => new Promise((r) => setTimeout(r, 1000)))
            .then(() => redis.up());
      },
    });
    expect(restarted).not.toBeNull();
    for (const t of list) expect(outcomes.get(t.id)).toEqual({ result: { n: t.payload.n, square: t.payload.n ** 2 } });
    await Promise.all(workers.map((w) => stop(w, 'SIGTERM')));
  });

  it('re-adds a job that vanished without a result when Redis comes back (a restart from an older file)', async () => {
    const log = join(tmp, 'run5.log');
    writeFileSync(log, '');
    const list = await tasks(3, { batch: 6 });
    const pending = submitTasks({ url: redis.url, tasks: list, pollMs: 100 });
    const client = new Redis({ host: '127.0.0.1', port: redis.port });
    while (!(await client.exists(`bull:${DEFAULT_QUEUE}:${list[1]!.id}`))) await new Promise((r) => setTimeout(r, 20));
    // what a restart from a file older than the last writes looks like: the job is gone, no result
    await client.del(`bull:${DEFAULT_QUEUE}:${list[1]!.id}`);
    await client.lrem(`bull:${DEFAULT_QUEUE}:wait`, 0, list[1]!.id);
    client.disconnect();
    await redis.down();
    await redis.up();
    const w = await spawnReady([WORKER, redis.url, log]);
    const outcomes = await pending;
    for (const t of list) expect(outcomes.get(t.id)).toEqual({ result: { n: t.payload.n, square: t.payload.n ** 2 } });
    await stop(w, 'SIGTERM');
  });

  it('a Redis that stays down mid-run fails the submitter loudly, naming the URL', async () => {
    let downed: Promise<void> | null = null;
    const err = await submitTasks({
      url: redis.url,
      tasks: await tasks(3, { batch: 5 }), // no worker: the run cannot finish before Redis goes away
      pollMs: 100,
      outageMs: 1500,
      onProgress: () => void (downed ??= redis.down()),
    }).catch((e: unknown) => e);
    await downed;
    await redis.up();
    expect(isQueueUnreachable(err)).toBe(true);
    expect((err as Error).message).toContain(`cannot reach the queue at ${redis.url}: lost mid-run`);
  });

  it('an unreachable Redis is a typed error naming the URL', async () => {
    const url = `redis://127.0.0.1:${redis.port + 1}/0`;
    const err = await submitTasks({ url, tasks: await tasks(1) }).catch((e: unknown) => e);
    expect(isQueueUnreachable(err)).toBe(true);
    expect((err as Error).message).toMatch(new RegExp(`^cannot reach the queue at ${url}: `));
  });
});
