import { checkGoals, rowGoals } from './check-goals.js';
import { GOALS, type RowGoals } from './goals.js';
import type { BenchRow } from './suite.js';

/** Milliseconds with three significant-ish digits: `412`, `37.5`, `1.3`. */
export const formatMs = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const ms = formatMs;

/** One method cell: median ms, ratio to forward, and the goal it is held to (✓ met, ✗ missed). */
function cell(row: BenchRow, id: string): string {
  const t = row.methods[id];
  if (!t) return '—';
  const ratio = t.medianMs / row.forward.medianMs;
  const goal = rowGoals(row).ratio[id];
  const verdict = goal === undefined ? '' : ` ${ratio <= goal ? '✓' : '✗'} ≤${goal}×`;
  return `${ms(t.medianMs)} ms (${ratio.toFixed(2)}×${verdict})`;
}

/** Methods compared with torch's forward+backward: the row's `fasterThanTorch` goals, else Grad-CAM. */
const torchCompared = (row: BenchRow) => rowGoals(row).fasterThanTorch ?? ['gradcam'];

/** The torch cells: forward, forward+backward (× torch forward), and method ÷ torch forward+backward. */
function torchCells(row: BenchRow): string[] {
  const t = row.torch;
  if (!t) return ['—', '—', '—'];
  const goals = new Set(rowGoals(row).fasterThanTorch ?? []);
  const vs = torchCompared(row)
    .filter((m) => row.methods[m])
    .map((m) => {
      const r = row.methods[m]!.medianMs / t.forwardBackwardMs;
      return `${m} ${r.toFixed(2)}×${goals.has(m) ? ` ${r < 1 ? '✓' : '✗'} <1×` : ''}`;
    });
  return [
    `${ms(t.forwardMs)} ms`,
    `${ms(t.forwardBackwardMs)} ms (${(t.forwardBackwardMs / t.forwardMs).toFixed(2)}×)`,
    vs.join(', ') || '—',
  ];
}

/** `gradcam ≤ 1.15× forward, deconvnet ≤ 2.5× forward, gradcam faster than torch forward+backward` (or `none`). */
function describeGoals(g: RowGoals, methods: readonly string[]): string {
  const ratios = methods.filter((m) => g.ratio[m] !== undefined).map((m) => `${m} ≤ ${g.ratio[m]}× forward`);
  const torch = (g.fasterThanTorch ?? [])
    .filter((m) => methods.includes(m))
    .map((m) => `${m} faster than torch forward+backward`);
  return [...ratios, ...torch].join(', ') || 'none';
}

/**
 * A markdown table: one row per model × runtime, the forward median, then each method's median and
 * its ratio to that forward (judged against the row's goals); when some row has a PyTorch reference,
 * torch's forward and forward+backward and the methods' time relative to the latter. The goals,
 * a tally of the goal checks and the notes of the rows follow.
 */
export function formatTable(rows: readonly BenchRow[], methods: readonly string[], runs: number): string {
  const torch = rows.some((r) => r.torch);
  const head = [
    'model',
    'runtime',
    'forward',
    ...methods,
    ...(torch ? ['torch forward', 'torch fwd+bwd', '÷ torch fwd+bwd'] : []),
  ];
  const lines = [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map(
      (r) =>
        `| ${[r.model, r.runtime, `${ms(r.forward.medianMs)} ms`, ...methods.map((m) => cell(r, m)), ...(torch ? torchCells(r) : [])].join(' | ')} |`,
    ),
  ];
  const goalSets = new Map<RowGoals | undefined, Set<string>>();
  for (const r of rows) goalSets.set(r.goals, (goalSets.get(r.goals) ?? new Set()).add(r.runtime));
  const goals = [...goalSets].flatMap(([g, runtimes]) => {
    const d = describeGoals(g ?? { ratio: GOALS }, methods);
    return d === 'none' ? [] : [`${[...runtimes].join(', ')}: ${d}`];
  });
  const checks = rows.flatMap((r) =>
    checkGoals(r)
      .filter((c) => methods.includes(c.method))
      .map((c) => ({ r, c })),
  );
  const missed = checks
    .filter(({ c }) => !c.met)
    .map(({ r, c }) =>
      c.kind === 'ratio'
        ? `  - ${r.model}, ${r.runtime}: ${c.method} ${c.value.toFixed(2)}× forward > ${c.limit}×`
        : `  - ${r.model}, ${r.runtime}: ${c.method} ${c.value.toFixed(2)}× torch forward+backward, not faster`,
    );
  const notes = rows.filter((r) => r.note).map((r) => `- ${r.model} on ${r.runtime}: ${r.note}`);
  const torchSources = [...new Set(rows.flatMap((r) => (r.torch ? [r.torch.source] : [])))];
  return [
    ...lines,
    '',
    `Median of ${runs} samples after warm-up (fast calls repeated to ≥ 25 ms per sample), one image, one process.`,
    `Goals — ${goals.join('; ') || 'none'}.`,
    `Goal checks: ${checks.length - missed.length}/${checks.length} met${missed.length ? '; missed:' : '.'}`,
    ...missed,
    ...(torchSources.length
      ? [
          `PyTorch reference (forward under no_grad; fwd+bwd = forward + backward of the top-1 logit to the input, parameters frozen): ${torchSources.join('; ')}.`,
        ]
      : []),
    ...notes,
  ].join('\n');
}
