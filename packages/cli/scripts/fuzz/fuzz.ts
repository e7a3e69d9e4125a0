import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAssets, makeCase, type BaseAssets, type FuzzCase } from './cases.js';
import type { CaseRequest, CommandResult } from './run-case.js';

export interface FuzzOptions {
  readonly seed: number;
  readonly count: number;
  /** Child processes running cases in parallel. */
  readonly workers: number;
  /**
   * Per-case limit on the child's CPU time (ms): more is a hang. CPU time, not wall time, so a
   * machine busy with other work (the fuzzer runs under `nice`) does not fake hangs.
   */
  readonly cpuMs: number;
  /** Per-case wall-clock limit (ms), for a case that waits forever without using the CPU. */
  readonly wallMs: number;
  /** Per-child V8 heap limit (MB), and the resident-set limit (MB) checked after each case. */
  readonly heapMb: number;
  readonly rssMb: number;
  /** Where a failing case's files and a `case.json` are saved. */
  readonly failDir: string;
  /** The compiled run-case.js. */
  readonly childScript: string;
  /** The conformance fixture folder holding model.onnx and tfjs/. */
  readonly fixture: URL;
  readonly onProgress?: (done: number, report: FuzzReport) => void;
}

export type FailureKind = 'crash' | 'hang' | 'memory' | 'raw-error' | 'non-finite';

export interface FuzzReport {
  cases: number;
  commands: number;
  typedErrors: number;
  finiteResults: number;
  failures: { id: string; kind: FailureKind; what: string; detail: string; saved: string }[];
  /** Cases per mutation family (`onnx:cycle`, `tfjs/npy:shape`, …; combined mutations by their first). */
  byMutation: Record<string, number>;
  ms: number;
}

interface Child {
  proc: ChildProcess;
  ready: Promise<void>;
}

function spawnChild(o: FuzzOptions): Child {
  const proc = fork(o.childScript, [], {
    execArgv: [`--max-old-space-size=${o.heapMb}`],
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    serialization: 'advanced',
  });
  const ready = new Promise<void>((res, rej) => {
    proc.once('message', () => res());
    proc.once('exit', (code) => rej(new Error(`fuzz child exited (${code}) before it was ready`)));
  });
  return { proc, ready };
}

type Outcome = { results: CommandResult[]; rss: number } | { crash: string } | { hang: true } | { exit: string };

/** CPU time (ms) the process `pid` has used, from /proc (0 where there is no /proc). */
function cpuTime(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
  } catch {
    return 0;
  }
}

function runOne(c: Child, req: CaseRequest, o: FuzzOptions): Promise<Outcome> {
  return new Promise((resolve) => {
    const cpu0 = cpuTime(c.proc.pid!);
    const t0 = Date.now();
    const timer = setInterval(() => {
      if (cpuTime(c.proc.pid!) - cpu0 > o.cpuMs || Date.now() - t0 > o.wallMs) done({ hang: true });
    }, 250);
    const done = (out: Outcome) => {
      clearInterval(timer);
      c.proc.off('message', onMsg);
      c.proc.off('exit', onExit);
      resolve(out);
    };
    const onMsg = (m: unknown) => done(m as Outcome);
    const onExit = (code: number | null, signal: string | null) => done({ exit: `${code ?? signal}` });
    c.proc.on('message', onMsg);
    c.proc.on('exit', onExit);
    c.proc.send(req);
  });
}

/** A typed error is one `gradscope: <message>` line without the unexpected-error hint. */
const typed = (line: string) => line.startsWith('gradscope: ') && !line.includes('(rerun with --debug for the stack)');

function classify(o: Outcome, rssMb: number): { kind: FailureKind; detail: string } | CommandResult[] {
  if ('hang' in o) return { kind: 'hang', detail: 'no answer within the CPU-time or wall-clock limit' };
  if ('exit' in o) return { kind: 'crash', detail: `child exited: ${o.exit}` };
  if ('crash' in o) return { kind: 'crash', detail: o.crash.split('\n').slice(0, 3).join(' | ') };
  if (o.rss > rssMb * 1024 * 1024) return { kind: 'memory', detail: `rss ${Math.round(o.rss / 2 ** 20)} MB` };
  for (const r of o.results) {
    if (r.nonFinite) return { kind: 'non-finite', detail: r.nonFinite };
    if (r.exit !== 0 && !typed(r.line)) return { kind: 'raw-error', detail: r.line };
  }
  return o.results;
}

function save(o: FuzzOptions, c: FuzzCase, extra: object): string {
  const d = join(o.failDir, c.id);
  mkdirSync(d, { recursive: true });
  for (const [name, bytes] of Object.entries(c.files)) writeFileSync(join(d, name), bytes);
  writeFileSync(
    join(d, 'case.json'),
    JSON.stringify({ id: c.id, what: c.what, commands: c.commands, ...extra }, null, 2),
  );
  return d;
}

/**
 * Runs `count` seeded cases on `workers` child processes, each case with a time limit and each
 * child with a heap and resident-set limit. A child that hangs, crashes or grows too large is
 * replaced; the case is a failure and its files are saved to `failDir`.
 */
export async function runFuzz(o: FuzzOptions): Promise<FuzzReport> {
  const t0 = Date.now();
  const assets: BaseAssets = loadAssets(o.fixture);
  const work = mkdtempSync(join(tmpdir(), 'gradscope-fuzz-'));
  const report: FuzzReport = {
    cases: 0,
    commands: 0,
    typedErrors: 0,
    finiteResults: 0,
    failures: [],
    byMutation: {},
    ms: 0,
  };
  let next = 0;
  const worker = async () => {
    let child = spawnChild(o);
    await child.ready;
    try {
      while (next < o.count) {
        const c = makeCase(assets, o.seed, next++);
        const dir = join(work, c.id);
        mkdirSync(dir);
        for (const [name, bytes] of Object.entries(c.files)) writeFileSync(join(dir, name), bytes);
        const outcome = await runOne(child, { dir, commands: c.commands }, o);
        const verdict = classify(outcome, o.rssMb);
        const family = c.what.split('+')[0]!;
        report.byMutation[family] = (report.byMutation[family] ?? 0) + 1;
        report.cases++;
        if (Array.isArray(verdict)) {
          report.commands += verdict.length;
          for (const r of verdict) {
            if (r.exit === 0) report.finiteResults++;
            else report.typedErrors++;
          }
        } else {
          report.failures.push({ id: c.id, what: c.what, ...verdict, saved: save(o, c, { ...verdict, outcome }) });
        }
        // a fresh child after any failure: a runtime a case broke must not blame the next cases
        if (!Array.isArray(verdict)) {
          child.proc.kill('SIGKILL');
          child = spawnChild(o);
          await child.ready;
        }
        rmSync(dir, { recursive: true, force: true });
        o.onProgress?.(report.cases, report);
      }
    } finally {
      child.proc.kill('SIGKILL');
    }
  };
  try {
    await Promise.all(Array.from({ length: o.workers }, worker));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  report.ms = Date.now() - t0;
  return report;
}
