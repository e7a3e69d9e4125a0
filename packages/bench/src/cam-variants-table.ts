import { CAM_VARIANT_GOAL, NOT_GRADIENT_BASED, type CamVariantRow } from './cam-variants.js';
import { formatMs as ms } from './format-table.js';

/** `✓`/`✗` of one ratio against the goal. */
export const camVariantMet = (ratio: number) => ratio <= CAM_VARIANT_GOAL;

/**
 * The CAM-variant table: one line per variant, one column per (model, runtime) row with the
 * variant's median, its ratio to Grad-CAM in the same run and ✓/✗ against the goal; then Grad-CAM's
 * own median per row, a tally with every miss, and the CAM-family methods not held to the goal.
 */
export function formatCamVariantTable(rows: readonly CamVariantRow[], runs: number): string {
  if (rows.length === 0) return '(no CAM-variant rows)';
  const ids = [...new Set(rows.flatMap((r) => r.variants.map((v) => v.method)))];
  const head = ['method', ...rows.map((r) => `${r.model}, ${r.runtime} (at ${r.layer})`)];
  const cell = (r: CamVariantRow, id: string) => {
    const v = r.variants.find((x) => x.method === id);
    if (!v) return '—';
    return `${ms(v.medianMs)} ms (${v.ratio.toFixed(2)}× ${camVariantMet(v.ratio) ? '✓' : '✗'})`;
  };
  const checks = rows.flatMap((r) => r.variants.map((v) => ({ r, v })));
  const missed = checks.filter(({ v }) => !camVariantMet(v.ratio));
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    `| gradcam | ${rows.map((r) => `${ms(r.gradcamMs)} ms (1×)`).join(' | ')} |`,
    ...ids.map((id) => `| ${id} | ${rows.map((r) => cell(r, id)).join(' | ')} |`),
    '',
    `Goal: every gradient-based CAM variant ≤ ${CAM_VARIANT_GOAL}× Grad-CAM. Ratio = median over ${runs} rounds of ` +
      `(variant ÷ the Grad-CAM call next to it in the same round, order alternating); ms = median of the ${runs} calls.`,
    `Goal checks: ${checks.length - missed.length}/${checks.length} met${missed.length ? '; missed:' : '.'}`,
    ...missed.map(({ r, v }) => `  - ${r.model}, ${r.runtime}: ${v.method} ${v.ratio.toFixed(2)}× Grad-CAM`),
    `Not gradient-based (not held to it): ${Object.entries(NOT_GRADIENT_BASED)
      .map(([id, why]) => `${id} (${why})`)
      .join('; ')}.`,
  ].join('\n');
}
