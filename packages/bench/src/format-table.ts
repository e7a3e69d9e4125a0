import { GOALS } from './goals.js';
import type { BenchRow } from './suite.js';

/** Milliseconds with three significant-ish digits: `412`, `37.5`, `1.3`. */
export const formatMs = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const ms = formatMs;

/** One method cell: median ms, ratio to forward, and the goal it is held to (✓ met, ✗ missed). */
function cell(row: BenchRow, id: string): string {
  const t = row.methods[id];
  if (!t) return '—';
  const ratio = t.medianMs / row.forward.medianMs;
  const goal = GOALS[id];
  const verdict = goal === undefined ? '' : ` ${ratio <= goal ? '✓' : '✗'} ≤${goal}×`;
  return `${ms(t.medianMs)} ms (${ratio.toFixed(2)}×${verdict})`;
}

/**
 * A markdown table: one row per model × runtime, the forward median, then each method's median and
 * its ratio to that forward. Notes of the rows follow as a list.
 */
export function formatTable(rows: readonly BenchRow[], methods: readonly string[], runs: number): string {
  const head = ['model', 'runtime', 'forward', ...methods];
  const lines = [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${[r.model, r.runtime, `${ms(r.forward.medianMs)} ms`, ...methods.map((m) => cell(r, m))].join(' | ')} |`),
  ];
  const notes = rows.filter((r) => r.note).map((r) => `- ${r.model} on ${r.runtime}: ${r.note}`);
  const goals = methods.filter((m) => GOALS[m] !== undefined).map((m) => `${m} ≤ ${GOALS[m]}× forward`);
  return [
    ...lines,
    '',
    `Median of ${runs} samples after warm-up (fast calls repeated to ≥ 25 ms per sample), one image, one process. Goals: ${goals.join('; ') || 'none'}.`,
    ...notes,
  ].join('\n');
}
