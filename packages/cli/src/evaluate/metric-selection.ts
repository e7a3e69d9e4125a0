import type { Metric } from '@gradscope/metrics';
import { usageError } from '../cli-error.js';

/** `--metrics a,b`: ids separated by commas (duplicates dropped), `all` for every registered metric. */
export function parseMetricList(s: string): string[] | 'all' {
  const ids = s.split(',').map((x) => x.trim());
  if (ids.some((x) => x === '')) throw usageError(`--metrics expects metric ids separated by commas, got '${s}'`);
  if (ids.includes('all')) {
    if (ids.length > 1) throw usageError(`--metrics 'all' cannot be combined with other ids`);
    return 'all';
  }
  return [...new Set(ids)];
}

/**
 * The metrics named by `ids`, in that order. An unknown id is one line listing the available ones; a
 * metric that needs a ground-truth mask when there are none (`masks: false`) is one line naming it.
 * `all` without masks leaves the mask metrics out.
 */
export function selectMetrics(
  ids: readonly string[] | 'all',
  available: readonly Metric<any>[],
  have: { readonly masks: boolean; readonly howToGiveMasks?: string },
): Metric<any>[] {
  if (ids === 'all') return available.filter((m) => have.masks || !m.needs.includes('mask'));
  const chosen = ids.map((id) => {
    const m = available.find((x) => x.id === id);
    if (!m)
      throw usageError(
        `unknown metric '${id}'; available: ${
          available
            .map((x) => x.id)
            .sort()
            .join(', ') || 'none'
        }`,
      );
    return m;
  });
  const masked = chosen.filter((m) => m.needs.includes('mask'));
  if (masked.length && !have.masks)
    throw usageError(
      `metric${masked.length > 1 ? 's' : ''} ${masked.map((m) => `'${m.id}'`).join(', ')} need${masked.length > 1 ? '' : 's'} ground-truth masks: ${have.howToGiveMasks ?? "pass --masks <dir> (or 'mask' in the manifest)"}`,
    );
  return chosen;
}
