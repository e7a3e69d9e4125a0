/**
 * Prints, from committed per-epoch traces, how an arm's argmax metric compares with arm B's after
 * chosen stage-2 epochs, seed by seed (runs of one arm and one seed each, branched from one stage-1
 * checkpoint, as `experiment.js --trace` writes them):
 *
 *   node dist/scripts/gap-table.js --arm X --epochs 10,20,30,40 \
 *     --b experiment/ablations/ckpt-init1-B-seed{0,1,2}-40ep --x experiment/ablations/ckpt-init1-X-seed{0,1,2}-40ep
 *
 * Each `--b` / `--x` directory holds a trace.json; seeds are matched by number. Prints one markdown
 * table per metric (accConflicting, objOnGrey): B's and the arm's mean, and the per-seed and mean
 * difference (arm − B), so REPORT.md's figures are copied from script output, never typed.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { TracePoint } from './experiment-trace.js';

const { values: a } = parseArgs({
  options: {
    arm: { type: 'string', default: 'X' },
    epochs: { type: 'string', default: '10,20,30,40' },
    b: { type: 'string', multiple: true },
    x: { type: 'string', multiple: true },
  },
  allowPositionals: false,
});
if (!a.b?.length || !a.x?.length) throw new Error('usage: gap-table --b <dir>… --x <dir>… [--arm X] [--epochs 10,20]');

type Runs = Map<number, readonly TracePoint[]>;
function load(dirs: readonly string[], arm: string): Runs {
  const runs: Runs = new Map();
  for (const dir of dirs) {
    const t = JSON.parse(readFileSync(`${dir}/trace.json`, 'utf8')) as {
      arms: Record<string, { seed: number; epochs: TracePoint[] }[]>;
    };
    const list = t.arms[arm];
    if (!list?.length) throw new Error(`${dir}/trace.json: no arm ${arm}`);
    for (const r of list) {
      if (runs.has(r.seed)) throw new Error(`${dir}: arm ${arm} seed ${r.seed} twice`);
      runs.set(r.seed, r.epochs);
    }
  }
  return runs;
}
const arm = a.arm!;
const base = load(a.b, 'B');
const other = load(a.x, arm);
const seeds = [...base.keys()].filter((s) => other.has(s)).sort((p, q) => p - q);
if (seeds.length === 0) throw new Error(`no seed has both a B run and an ${arm} run`);
const epochs = a.epochs!.split(',').map(Number);
const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
const at = (runs: Runs, seed: number, epoch: number, key: keyof TracePoint) => {
  const p = runs.get(seed)!.find((q) => q.epoch === epoch);
  if (!p) throw new Error(`seed ${seed}: no traced epoch ${epoch}`);
  return p[key];
};
const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
const f = (v: number) => (v >= 0 ? `+${v.toFixed(3)}` : v.toFixed(3)).replace('-', '−');
for (const key of ['accConflicting', 'objOnGrey'] as const) {
  console.log(
    line([
      `${key}, after epoch`,
      'B mean',
      `${arm} mean`,
      ...seeds.map((s) => `${arm} − B, seed ${s}`),
      `${arm} − B, mean`,
    ]),
  );
  console.log(line(Array.from({ length: seeds.length + 4 }, () => '---')));
  for (const e of epochs) {
    const b = seeds.map((s) => at(base, s, e, key));
    const x = seeds.map((s) => at(other, s, e, key));
    const d = x.map((v, i) => v - b[i]!);
    console.log(line([String(e), mean(b).toFixed(3), mean(x).toFixed(3), ...d.map(f), f(mean(d))]));
  }
  console.log('');
}
