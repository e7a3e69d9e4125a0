import type { LoadOptions, Normalization, OptionValues, Target } from '@gradscope/core';
import type { MetricValue } from '@gradscope/metrics';

/**
 * Everything an evaluation decided from the command line, as plain JSON-able data: what a worker
 * thread (or a queue worker on another machine) needs to load the model once and score jobs.
 */
export interface EvaluationSpec {
  readonly backend: string;
  /** Absolute path of the model file. */
  readonly model: string;
  /** How the model is named in messages (the path as given). */
  readonly modelLabel: string;
  readonly load: Pick<
    LoadOptions,
    'normalization' | 'inputSize' | 'output' | 'channelOrder' | 'allowPathsOutsideModelDir'
  >;
  /** How images are normalised for the model (the run's choice, else the model's own, else identity). */
  readonly normalization?: Normalization;
  readonly methods: readonly string[];
  /** Options per method id, as given (defaults are filled by the evaluator). */
  readonly methodOptions: Readonly<Record<string, OptionValues>>;
  /** `--layer`: names or `auto`. */
  readonly layers: readonly string[];
  /** The target of every image (a manifest line's `target` fixes its class index). */
  readonly target: Target;
  readonly metrics: readonly string[];
  /** Options per metric id, as given (e.g. ROAD's `percentiles`, `noise`). */
  readonly metricOptions: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly maxPixels?: number;
  /** Module URLs of `--plugin`s (their methods and metrics are registered in every worker). */
  readonly plugins: readonly string[];
}

/** One unit of work: one image scored with one or more methods (one record each). */
export interface EvaluationJob {
  /** The image as recorded in results.jsonl (the path as listed: relative to the folder or manifest). */
  readonly image: string;
  /** Absolute path of the image (PNG, JPEG or .npy). */
  readonly file: string;
  /** Absolute path of its ground-truth mask (PNG or .npy), if any. */
  readonly mask?: string;
  /** Class index to explain (a manifest's `target`); otherwise the spec's target. */
  readonly target?: number;
  readonly methods: readonly string[];
  /** Seed of the metrics' random draws (from the image name, so it does not depend on scheduling). */
  readonly seed: number;
}

/**
 * One image explained by one method, and its metrics: a line of results.jsonl (image, method, target,
 * metrics: issue 14's contract) and, when it has curves, a line of curves.jsonl (see results-file.ts).
 */
export interface EvaluationRecord {
  readonly image: string;
  readonly method: string;
  /** The class explained (null for targets without one). */
  readonly target: number | null;
  readonly metrics: Readonly<Record<string, MetricValue>>;
  /** Curves some metrics integrate (deletion/insertion: fraction removed → score), for the report; kept in curves.jsonl. */
  readonly curves?: Readonly<Record<string, { readonly x: readonly number[]; readonly y: readonly number[] }>>;
}

/** A seed from an image's name (FNV-1a), so a record does not depend on which worker ran it or when. */
export function imageSeed(image: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < image.length; i++) {
    h ^= image.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
