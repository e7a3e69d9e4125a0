/**
 * Merges several experiment runs that branched from one saved stage-1 checkpoint (`--load-stage1`,
 * one process per arm and seed so they can run side by side) into one results.json / history.json /
 * REPORT.md, through the same writer as the experiment script.
 *
 *   node dist/scripts/merge-runs.js --out experiment/ --stage1-seconds 60 dirA dirB …
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { GainEpochRecord } from '@gradscope/gain';
import { commandLine, writeReport, type ArmName, type SeedResult } from './experiment-report.js';

const { values: a, positionals: dirs } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string' }, 'stage1-seconds': { type: 'string' } },
});
if (!a.out || dirs.length === 0) throw new Error('usage: merge-runs --out <dir> [--stage1-seconds s] <run dir>…');

type Metrics = Record<string, number>;
interface History {
  config: Record<string, number>;
  stage1: Record<string, number>;
  history: Record<string, { seed: number; mapMse: number; history: GainEpochRecord[] }[]>;
}
const results: Partial<Record<ArmName, SeedResult[]>> = {};
let first: History | undefined;
for (const dir of dirs) {
  const r = JSON.parse(readFileSync(`${dir}/results.json`, 'utf8')) as { arms: Record<string, { seeds: Metrics[] }> };
  const h = JSON.parse(readFileSync(`${dir}/history.json`, 'utf8')) as History;
  if (first && JSON.stringify(first.stage1) !== JSON.stringify(h.stage1))
    throw new Error(`${dir}: a different stage-1 checkpoint than ${dirs[0]}`);
  first ??= h;
  for (const [arm, { seeds }] of Object.entries(r.arms))
    for (const s of seeds) {
      const extra = h.history[arm]!.find((x) => x.seed === s.seed)!;
      const list = (results[arm as ArmName] ??= []);
      if (list.some((x) => x.seed === s.seed)) throw new Error(`${dir}: arm ${arm} seed ${s.seed} twice`);
      list.push({ ...s, mapMse: extra.mapMse, history: extra.history } as SeedResult);
    }
}
for (const list of Object.values(results)) list.sort((x, y) => x.seed - y.seed);
const order: ArmName[] = ['B', 'G', 'X', 'E'];
const sorted = Object.fromEntries(order.filter((k) => results[k]).map((k) => [k, results[k]!]));
const seeds = Math.max(...Object.values(sorted).map((l) => l.length));
mkdirSync(a.out, { recursive: true });
writeReport(a.out, {
  config: { ...first!.config, seeds },
  stage1: first!.stage1,
  stage1Seconds: a['stage1-seconds'] === undefined ? undefined : Number(a['stage1-seconds']),
  command: commandLine('merge-runs.js'),
  results: sorted,
});
console.log(`merged ${dirs.length} runs into ${a.out}`);
