import type { Metric } from '@gradscope/metrics';

/**
 * The metrics the CLI registers. `@gradscope/metrics` exports `builtinMetrics` once its metric
 * implementations land; until then the CLI has none of its own and takes metrics from `--plugin`s.
 */
export const builtinMetrics: readonly Metric<any>[] = [];
