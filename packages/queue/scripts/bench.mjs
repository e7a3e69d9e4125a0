// Throughput of `gradscope evaluate` on the queue (not a test). Needs `turbo run build --filter=@gradscope/cli...`.
//   node packages/queue/scripts/bench.mjs [images=100] [--overhead-only]
// Prints: single-process evaluate (images/s), the queue with 1, 2 and 4 `gradscope worker` processes
// (images/s), and the queue's own overhead per job (a worker whose processor returns at once).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { encodePng } from '@gradscope/render/node';
import { createShapesGenerator } from '@gradscope/shapes';
import { startWorker, submitTasks, taskId } from '@gradscope/queue';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const CLI = join(ROOT, 'packages', 'cli', 'dist');
const { defaultWiring } = await import(join(CLI, 'default-wiring.js'));
const { loadEvaluator } = await import(join(CLI, 'evaluate', 'load-evaluator.js'));
const { evaluateJob } = await import(join(CLI, 'evaluate', 'evaluate-job.js'));
const { imageSeed } = await import(join(CLI, 'evaluate', 'evaluation-spec.js'));
const { runQueued } = await import(join(CLI, 'queue', 'run-queued.js'));

const IMAGES = Number(process.argv[2] ?? 100);
const METHODS = ['gradcam', 'saliency'];
const quiet = { stdout: { write: () => true }, stderr: { write: () => true } };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const port = await new Promise((res) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port: p } = s.address();
    s.close(() => res(p));
  });
});
const dir = mkdtempSync(join(tmpdir(), 'gs-bench-'));
const redis = spawn('redis-server', ['--port', `${port}`, '--bind', '127.0.0.1', '--dir', dir, '--save', ''], {
  stdio: 'ignore',
});
const url = `redis://127.0.0.1:${port}/0`;
const client = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: null });
client.on('error', () => {});
for (let i = 0; (await client.ping().catch(() => '')) !== 'PONG' && i < 100; i++) await sleep(50);

const gen = createShapesGenerator({ seed: 99 });
const jobs = gen.samples(IMAGES).map((s) => {
  const image = `b-${s.index}.png`;
  const file = join(dir, image);
  writeFileSync(file, encodePng({ width: s.width, height: s.height, channels: 4, data: s.image }));
  return { image, file, methods: METHODS, seed: imageSeed(image) };
});
const spec = {
  backend: 'tfjs',
  model: join(ROOT, 'packages', 'shapes', 'model', 'model.json'),
  modelLabel: 'shapes',
  load: {},
  methods: METHODS,
  methodOptions: {},
  layers: ['auto'],
  target: { kind: 'class' },
  metrics: [],
  metricOptions: {},
  plugins: [],
};

async function local() {
  const ev = await loadEvaluator(spec, await defaultWiring());
  await evaluateJob(jobs[0], ev); // warm-up, as a warm worker would be
  const t = performance.now();
  for (const job of jobs) await evaluateJob(job, ev);
  const s = (performance.now() - t) / 1000;
  await ev.dispose();
  return s;
}

async function queued(n) {
  await client.flushdb();
  const ws = await Promise.all(
    Array.from({ length: n }, () => {
      const p = spawn(process.execPath, [join(CLI, 'bin.js'), 'worker', '--queue', url], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      return new Promise((res) => p.stderr.on('data', (d) => String(d).includes('ready') && res(p)));
    }),
  );
  await runQueued(url, spec, jobs.slice(0, n), quiet); // warm-up: every worker loads the model
  await client.flushdb();
  const t = performance.now();
  const { failures } = await runQueued(url, spec, jobs, quiet);
  const s = (performance.now() - t) / 1000;
  if (failures.length) throw new Error(`failures: ${JSON.stringify(failures[0])}`);
  await Promise.all(ws.map((p) => new Promise((res) => (p.once('exit', res), p.kill('SIGTERM')))));
  return s;
}

/** Redis commands processed so far (scripts count once; minus the INFO call itself). */
const commands = async () => Number(/total_commands_processed:(\d+)/.exec(await client.info('stats'))[1]);

async function overhead(count = 1000) {
  await client.flushdb();
  const w = await startWorker({ url, process: async () => ({}) });
  const tasks = Array.from({ length: count }, (_, n) => ({ id: taskId({ bench: n }), files: [], payload: { n } }));
  const c0 = await commands();
  const t = performance.now();
  await submitTasks({ url, tasks, pollMs: 200 });
  const ms = (performance.now() - t) / count;
  const perJob = (await commands()) - c0;
  await w.close();
  return { ms, perJob: perJob / count };
}

const row = (what, s) =>
  console.log(`${what.padEnd(34)} ${(IMAGES / s).toFixed(2).padStart(7)} images/s  (${s.toFixed(1)} s)`);
console.log(
  `${IMAGES} shapes images × ${METHODS.join(' + ')}, ${cpus().length} cores, load ${loadavg()[0].toFixed(1)}`,
);
if (process.argv[3] !== '--overhead-only') {
  row('single-process evaluate', await local());
  for (const n of [1, 2, 4]) row(`queue, ${n} worker process(es)`, await queued(n));
}
const o = await overhead();
console.log(
  `queue overhead per job (no-op processor): ${o.ms.toFixed(2)} ms, ${o.perJob.toFixed(1)} Redis commands per job`,
);
client.disconnect();
redis.kill('SIGTERM');
rmSync(dir, { recursive: true, force: true });
