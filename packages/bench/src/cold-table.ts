import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeNpy } from '@gradscope/core';
import { formatMs as ms } from './format-table.js';
import { normals } from './random.js';

/** One phase of a cold run (see cold-run.ts). */
export interface ColdPhase {
  readonly phase: string;
  readonly ms: number;
  readonly sessionCreateMs: number;
  readonly sessionRunMs: number;
  readonly rssMb: number;
}

/** What `node dist/cold-run.js` prints: one fresh process explaining one image. */
export interface ColdRun {
  readonly model: string;
  readonly methods: string;
  readonly mode: 'many' | 'each';
  readonly phases: readonly ColdPhase[];
  /** session.run calls of the second, warm explanation. */
  readonly runsSecond: number;
  readonly peakRssMb: number;
  /** The model's input shape (one image). */
  readonly inputShape?: readonly number[];
  /** `gradscope explain` of the same image and methods, in a fresh process of its own (`runCliCold`). */
  readonly cli?: CliCold;
}

/** One cold `gradscope explain x.npy --model <m> --method <set>`: wall ms from process start, peak RSS. */
export interface CliCold {
  readonly wallMs: number;
  readonly peakRssMb: number;
}

const SCRIPT = fileURLToPath(new URL('./cold-run.js', import.meta.url));

/** Runs cold-run.js in a fresh Node process (so nothing is imported or cached yet). */
export function runCold(modelPath: string, methods: readonly string[], mode: 'many' | 'each' = 'many'): ColdRun {
  const r = spawnSync(process.execPath, [SCRIPT, modelPath, methods.join(','), mode], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cold-run failed (exit ${r.status ?? r.signal}): ${r.stderr.trim()}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ColdRun;
}

const CLI_COLD = fileURLToPath(new URL('./cli-cold.js', import.meta.url));
const CLI_BIN = fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url));

/**
 * Runs the CLI (`packages/cli/dist/bin.js`) cold through cli-cold.js on a seeded N(0, 1) `.npy`
 * image of `inputShape`: `explain x.npy --model <modelPath> --method <methods> --out <tmp>`.
 */
export function runCliCold(modelPath: string, methods: readonly string[], inputShape: readonly number[]): CliCold {
  const dir = mkdtempSync(join(tmpdir(), 'gradscope-cli-cold-'));
  try {
    const x = join(dir, 'x.npy');
    writeFileSync(
      x,
      encodeNpy({
        data: normals(
          inputShape.reduce((a, b) => a * b, 1),
          42,
        ),
        shape: [...inputShape],
      }),
    );
    const args = ['explain', x, '--model', modelPath, '--method', methods.join(','), '--out', join(dir, 'out')];
    const r = spawnSync(process.execPath, [CLI_COLD, CLI_BIN, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`gradscope explain failed (exit ${r.status ?? r.signal}): ${r.stderr.trim()}`);
    return JSON.parse(r.stderr.trim().split('\n').pop()!) as CliCold;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const PHASES = ['boot', 'import', 'load', 'forward', 'explain', 'explain again'];

/** `1234 ms (create 600, run 300)` for a phase that made or ran sessions, else `1234 ms`. */
function cell(p: ColdPhase | undefined): string {
  if (!p) return '—';
  const ort =
    p.sessionCreateMs || p.sessionRunMs ? ` (create ${ms(p.sessionCreateMs)}, run ${ms(p.sessionRunMs)})` : '';
  return `${ms(p.ms)} ms${ort}`;
}

/**
 * The cold table: per run, the wall ms of each phase in a fresh process (node's boot; importing
 * core, methods, backend-onnx and onnxruntime; `load` = protobuf parse + tensor shapes, inferred
 * from the graph or, for operators without an inference rule, from a probe session;
 * the first `forward`; the first explanation(s); the same again warm), with onnxruntime's session
 * creation and run time inside it (the rest is JS: protobuf encode, graph generation, maths), the
 * total to the first explanation, session runs of the warm repeat and peak RSS; then the CLI's own
 * cold `gradscope explain` of one image with the same methods (wall from process start, peak RSS:
 * the issue-16 goals), where it was measured. The CLI makes no plain forward session: its top-5
 * comes from the methods' shared capture.
 */
export function formatColdTable(runs: readonly ColdRun[]): string {
  const head = [
    'model',
    'methods',
    'mode',
    ...PHASES,
    'total to first explanation',
    'warm runs',
    'peak RSS',
    'CLI explain wall',
    'CLI peak RSS',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of runs) {
    const by = new Map(r.phases.map((p) => [p.phase, p]));
    const total = r.phases.filter((p) => p.phase !== 'explain again').reduce((a, p) => a + p.ms, 0);
    const name = r.model.split(/[\\/]/).pop()!;
    lines.push(
      `| ${[name, r.methods, r.mode, ...PHASES.map((p) => cell(by.get(p))), `${ms(total)} ms`, String(r.runsSecond), `${r.peakRssMb.toFixed(0)} MB`, r.cli ? `${ms(r.cli.wallMs)} ms` : '—', r.cli ? `${r.cli.peakRssMb.toFixed(0)} MB` : '—'].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

/** One CLI cold run of a model that has no in-process phase breakdown (a tfjs model). */
export interface CliColdRow {
  readonly model: string;
  readonly backend: string;
  readonly methods: string;
  readonly cli: CliCold;
}

/** The CLI's cold `gradscope explain` of one image per row: wall from process start and peak RSS. */
export function formatCliColdTable(rows: readonly CliColdRow[]): string {
  const lines = ['| model | backend | methods | CLI explain wall | CLI peak RSS |', '|---|---|---|---|---|'];
  for (const r of rows)
    lines.push(
      `| ${r.model} | ${r.backend} | ${r.methods} | ${ms(r.cli.wallMs)} ms | ${r.cli.peakRssMb.toFixed(0)} MB |`,
    );
  return lines.join('\n');
}
