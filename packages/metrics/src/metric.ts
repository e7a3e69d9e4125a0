import type { BatchOptions, BatchSource, Model, ResolvedTarget, Target, Tensor } from '@gradscope/core';
import type { MetricOptionSpecs, MetricOptionValues } from './metric-options.js';

/** What a metric judges: one image, one explanation of it, and the model that made both. */
export interface MetricSubject {
  readonly model: Model;
  /** The image as the model saw it: `[1, …]` in `model.input.layout`, already normalised. */
  readonly input: Tensor;
  /** The explanation judged: `[H, W]` at input resolution, in [0, 1] (an `Explanation`'s `map`). */
  readonly map: Tensor;
  /** The target the map explains (a fixed class: metrics score the same class on every perturbed input). */
  readonly target: Target;
  /**
   * The explanation in input space, when the method has one (an input gradient, Integrated Gradients):
   * the input's shape and layout. Captum's `infidelity` uses it instead of the map broadcast over channels.
   */
  readonly attribution?: Tensor;
  /** Ground truth for localisation metrics: `[H, W]`, 1 inside the object, 0 outside. */
  readonly mask?: Tensor;
  /**
   * Re-explains another input with the same method, layer and target (Captum's `sensitivity_max` and
   * the sanity checks need it); returns the new `[H, W]` map.
   */
  readonly explain?: (input: Tensor) => Promise<Tensor>;
  /** Seed of every random draw the metric makes (noise, perturbations): equal seeds give equal numbers. */
  readonly seed?: number;
}

/** The context a metric runs in: the subject plus batched scoring, progress and cancellation. */
export interface MetricContext extends MetricSubject {
  readonly seed: number;
  /** Logits `[N, numClasses]` of N inputs in chunks (the perturbation methods' plumbing). */
  forwardBatch(inputs: BatchSource, options?: BatchOptions): Promise<Tensor>;
  /** The target's score (as the methods define it: logit, softmax, …) on each row of `[N, K]` logits. */
  scores(logits: Tensor): Float32Array;
  /** The target with its class fixed to the class explained on the original image. */
  readonly resolved: ResolvedTarget;
  readonly signal: AbortSignal;
  checkAborted(): void;
  onProgress(done: number, total: number): void;
}

/** A metric's number: a scalar, or one number per key (ROAD's percentiles: `{ "20": …, "40": … }`). */
export type MetricValue = number | Readonly<Record<string, number>>;

/** What a metric returns: its value, and optionally the curve it integrated and further details. */
export interface MetricResult {
  readonly value: MetricValue;
  /** E.g. deletion/insertion: fraction of pixels changed (x) against the score (y). */
  readonly curve?: { readonly x: readonly number[]; readonly y: readonly number[] };
  readonly details?: Readonly<Record<string, number | string | boolean>>;
}

/** What a subject must carry for a metric to run. */
export type MetricNeed = 'mask' | 'explain';

/**
 * A metric: an id (a contract: kebab-case of the pytorch-grad-cam/Captum name), what it needs, typed
 * options (the `OptionSpec`s the methods declare, plus lists of numbers, so CLIs and forms are
 * generated), and `compute`.
 */
export interface Metric<O extends MetricOptionValues = MetricOptionValues> {
  readonly id: string;
  readonly title: string;
  /** One paragraph: the definition, the paper, where gradscope differs from the reference. */
  readonly description: string;
  /** Whether a larger value means a better (more faithful) explanation; `null` when neither. */
  readonly higherIsBetter: boolean | null;
  readonly needs: readonly MetricNeed[];
  readonly options: MetricOptionSpecs<O>;
  compute(ctx: MetricContext, options: O): Promise<MetricResult>;
}

export function defineMetric<O extends MetricOptionValues>(m: Metric<O>): Metric<O> {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(m.id)) throw new TypeError(`metric id '${m.id}' is not kebab-case`);
  return m;
}
