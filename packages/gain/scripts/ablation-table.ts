/**
 * Prints, from committed files, the markdown tables of the one-seed ablations at the prototype's
 * budget (experiment/ablations/index.json: `[{ change, file, arm }]`, file relative to
 * experiment/), of the stage-1 search and of the per-epoch stage-2 traces (see below), so
 * REPORT.md's tables are copied from script output, never typed.
 *
 *   node dist/scripts/ablation-table.js
 */
import { readFileSync } from 'node:fs';

interface Row {
  readonly change: string;
  readonly file: string;
  readonly arm: string;
}
type Seed = Record<string, number>;

const dir = new URL('../../experiment/', import.meta.url).pathname;
const rows = JSON.parse(readFileSync(`${dir}ablations/index.json`, 'utf8')) as Row[];
const cols: [string, string][] = [
  ['acc conflicting', 'accConflicting'],
  ['acc aligned', 'accAligned'],
  ['energy in mask', 'energyInMask'],
  ['pointing', 'pointing'],
  ['IoU@.5', 'iou50'],
  ['cover50', 'cover50'],
  ['ctx→ctx', 'ctxToCtx'],
  ['obj/grey', 'objOnGrey'],
];
const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
console.log(line(['change (arm, stage-2 seed)', 'file', ...cols.map(([h]) => h)]));
console.log(line(['---', '---', ...cols.map(() => '---')]));
for (const r of rows) {
  const json = JSON.parse(readFileSync(`${dir}${r.file}`, 'utf8')) as { arms: Record<string, { seeds: Seed[] }> };
  for (const s of json.arms[r.arm]!.seeds)
    console.log(line([`${r.change} (${r.arm}, ${s.seed})`, r.file, ...cols.map(([, k]) => s[k]!.toFixed(3))]));
}

/** The stage-1 search (experiment/ablations/stage1-index.json: `[{ change, dir }]`): every traced epoch. */
interface Stage1Row {
  readonly change: string;
  readonly dir: string;
}
interface TracePoint {
  epoch: number;
  accConflicting: number;
  accAligned: number;
  objOnGrey: number;
  ctxToCtx: number;
}
const stage1Rows = JSON.parse(readFileSync(`${dir}ablations/stage1-index.json`, 'utf8')) as Stage1Row[];
const keys = ['accConflicting', 'accAligned', 'objOnGrey', 'ctxToCtx'] as const;
console.log('');
console.log(line(['stage-1 run', 'epoch', 'acc conflicting', 'acc aligned', 'obj/grey', 'ctx→ctx']));
console.log(line(['---', '---', '---', '---', '---', '---']));
for (const r of stage1Rows) {
  const t = JSON.parse(readFileSync(`${dir}${r.dir}/trace.json`, 'utf8')) as { stage1: TracePoint[] };
  for (const p of t.stage1.filter((q) => q.epoch >= 4))
    console.log(line([r.change, String(p.epoch), ...keys.map((k) => p[k].toFixed(3))]));
}

/**
 * Per-epoch conflicting accuracy (argmax trace) of stage-2 runs (experiment/ablations/trace-index.json);
 * runs shorter than the longest one get empty cells.
 */
interface TraceRow {
  readonly label: string;
  readonly dir: string;
  readonly arm: string;
}
const traceRows = JSON.parse(readFileSync(`${dir}ablations/trace-index.json`, 'utf8')) as TraceRow[];
const traces = traceRows.map((r) => {
  const t = JSON.parse(readFileSync(`${dir}${r.dir}/trace.json`, 'utf8')) as {
    arms: Record<string, { seed: number; epochs: TracePoint[] }[]>;
  };
  return { r, runs: t.arms[r.arm] ?? [] };
});
const epochCount = Math.max(0, ...traces.flatMap(({ runs }) => runs.map((x) => x.epochs.length)));
const epochCols = Array.from({ length: epochCount }, (_, i) => String(i + 1));
for (const key of ['accConflicting', 'objOnGrey'] as const) {
  console.log('');
  console.log(line([`${key} after stage-2 epoch (arm, seed)`, ...epochCols]));
  console.log(line(['---', ...epochCols.map(() => '---')]));
  for (const { r, runs } of traces)
    for (const run of runs)
      console.log(
        line([`${r.label} (${r.arm}, ${run.seed})`, ...epochCols.map((_, i) => run.epochs[i]?.[key].toFixed(3) ?? '')]),
      );
}
