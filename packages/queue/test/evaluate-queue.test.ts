import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE } from '../src/index.js';
import { resultsKey } from '../src/redis-client.js';
import { RedisServer } from './redis-server.js';
import { CLI_BIN, shapesAudit } from './shapes-audit.js';
import { killAll, spawnReady, stop } from './worker-processes.js';

// Needs packages/cli/dist (turbo run build --filter=@gradscope/cli...): every process is the real CLI.
// The big test takes ≈ 100 s on a busy 2-core machine (queue run ≈ 50 s, the local run it is compared with ≈ 35 s).
const ENV = { ...process.env, GRADSCOPE_QUEUE_LOCK_MS: '1500', GRADSCOPE_QUEUE_STALLED_MS: '500' };
const IMAGES = 200;
const JOBS = IMAGES * 2; // Grad-CAM and saliency
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tmp = () => mkdtempSync(join(tmpdir(), 'gs-audit-'));
let redis: RedisServer;
beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(async () => {
  killAll();
  await redis?.stop();
});

/** Runs the CLI to the end: its exit code and stderr. */
function cli(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI_BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: ENV });
    let stderr = '';
    p.stderr.on('data', (d) => (stderr += d));
    p.once('exit', (code) => resolve({ code, stderr }));
  });
}

const results = (out: string) => readFileSync(join(out, 'results.jsonl'), 'utf8');

describe('gradscope evaluate --queue with `gradscope worker` processes', () => {
  it(
    '200 images × 2 methods, 3 workers (one SIGKILLed, one SIGTERMed), Redis restarted: equal to a local run',
    { timeout: 240_000 },
    async () => {
      const audit = shapesAudit(tmp(), IMAGES);
      const workers = await Promise.all(
        [0, 1, 2].map(() => spawnReady([CLI_BIN, 'worker', '--queue', redis.url], ENV)),
      );
      const client = new Redis({ host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null });
      client.on('error', () => {});
      const outQ = tmp();
      const run = cli([...audit.args, '--queue', redis.url, '--out', outQ]);
      const at = async (n: number) => {
        while ((await client.hlen(resultsKey(DEFAULT_QUEUE))) < n) await sleep(50);
      };
      await at(0.2 * JOBS);
      workers[0]!.kill('SIGKILL');
      await at(0.4 * JOBS);
      expect(await stop(workers[1]!, 'SIGTERM')).toBe(0);
      await at(0.6 * JOBS);
      await redis.down();
      await sleep(500);
      await redis.up();
      const queued = await run;
      expect(queued.stderr).toMatch(new RegExp(`queue: ${JOBS}/${JOBS} jobs {2}0 failed {2}\\d worker\\(s\\)`));
      expect(queued.code).toBe(0);
      expect(await client.hlen(resultsKey(DEFAULT_QUEUE))).toBe(JOBS);
      expect(readFileSync(join(outQ, 'report.html'), 'utf8')).toContain('masked-score');

      const again = tmp(); // resubmitting: no job is added, the records come from Redis
      expect((await cli([...audit.args, '--queue', redis.url, '--out', again])).code).toBe(0);
      expect(await client.keys(`bull:${DEFAULT_QUEUE}:gs-*`)).toEqual([]);
      expect(results(again)).toBe(results(outQ));
      await stop(workers[2]!, 'SIGTERM');
      client.disconnect();

      const outL = tmp();
      expect((await cli([...audit.args, '--out', outL])).code).toBe(0);
      const lines = results(outQ).trim().split('\n');
      expect(lines.length).toBe(JOBS);
      expect(new Set(lines.map((l) => JSON.stringify([JSON.parse(l).image, JSON.parse(l).method]))).size).toBe(JOBS);
      expect(results(outQ)).toBe(results(outL));
      // the curves side file too (the submitter writes it with the records, in the same order)
      const curves = (out: string) => readFileSync(join(out, 'curves.jsonl'), 'utf8');
      expect(curves(outQ)).toBe(curves(outL));
    },
  );

  it('an image that cannot be scored fails after its attempts: listed in the report, exit 1, the rest recorded', async () => {
    const audit = shapesAudit(tmp(), 3);
    writeFileSync(join(audit.images, 'shape-001.png'), 'not an image');
    const worker = await spawnReady([CLI_BIN, 'worker', '--queue', redis.url], ENV);
    const out = tmp();
    const r = await cli([...audit.args, '--queue', redis.url, '--out', out]);
    await stop(worker, 'SIGTERM');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^gradscope: 2 \(image, method\) job\(s\) failed on the queue after their attempts, e\.g\. shape-001\.png × gradcam: /m,
    );
    expect(
      results(out)
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).image),
    ).toEqual(['shape-000.png', 'shape-000.png', 'shape-002.png', 'shape-002.png']);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(
      /<h2>Failed \(2: no record\)<\/h2>.*shape-001\.png/s,
    );
  });

  it('an unreachable Redis is one line naming the URL, exit 1', () => {
    const url = `redis://127.0.0.1:${redis.port + 1}/0`;
    const r = spawnSync(process.execPath, [CLI_BIN, 'worker', '--queue', url], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^gradscope: cannot reach the queue at ${url}: [^\\n]+\\n$`));
  });
});
