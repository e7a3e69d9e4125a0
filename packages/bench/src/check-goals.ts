import { GOALS, type RowGoals } from './goals.js';
import type { BenchRow } from './suite.js';

/** One goal judged on one row. */
export interface GoalCheck {
  readonly method: string;
  /** `ratio`: method median / forward median ≤ limit; `torch`: method median / torch forward+backward < 1. */
  readonly kind: 'ratio' | 'torch';
  /** The measured ratio (to the row's forward, or to torch's forward+backward). */
  readonly value: number;
  /** The bound: the ratio goal, or 1 for `torch`. */
  readonly limit: number;
  readonly met: boolean;
}

/** The goals of `row`: its own, or the default tfjs ratios (`GOALS`). */
export const rowGoals = (row: BenchRow): RowGoals => row.goals ?? { ratio: GOALS };

/**
 * Judges every goal of `row` that can be judged: each timed method with a ratio goal (median ÷
 * forward median ≤ goal), and each `fasterThanTorch` method when the row has a torch reference
 * (median < torch forward+backward). Methods that were not timed are not judged.
 */
export function checkGoals(row: BenchRow): GoalCheck[] {
  const goals = rowGoals(row);
  const out: GoalCheck[] = [];
  for (const [method, t] of Object.entries(row.methods)) {
    const limit = goals.ratio[method];
    if (limit === undefined) continue;
    const value = t.medianMs / row.forward.medianMs;
    out.push({ method, kind: 'ratio', value, limit, met: value <= limit });
  }
  if (row.torch) {
    for (const method of goals.fasterThanTorch ?? []) {
      const t = row.methods[method];
      if (!t) continue;
      const value = t.medianMs / row.torch.forwardBackwardMs;
      out.push({ method, kind: 'torch', value, limit: 1, met: value < 1 });
    }
  }
  return out;
}
