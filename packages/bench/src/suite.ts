import type { TimeOptions, Timing } from './time-median.js';

/** One benchmarked model on one runtime: a forward pass and each method, timed the same way. */
export interface BenchRow {
  /** Model label, e.g. `resnet18 224² (random)`. */
  readonly model: string;
  /** Runtime label, e.g. `tfjs-wasm (node)` or `ort-node`. */
  readonly runtime: string;
  /** `model.forward` of one image, logits read back. */
  readonly forward: Timing;
  /** Method id → one full `explain` of one image (capture, maths, scaling, resize). */
  readonly methods: Readonly<Record<string, Timing>>;
  /** Free-form remarks printed under the table (layer used, threads, …). */
  readonly note?: string;
}

/**
 * A group of rows that share a runtime setup. Backends add rows by adding a suite to `suites.ts`:
 * load a model, then call `benchModel` for each model.
 */
export interface BenchSuite {
  readonly id: string;
  run(options: BenchOptions): Promise<BenchRow[]>;
}

export interface BenchOptions extends TimeOptions {
  /** Method ids timed for each model. */
  readonly methods: readonly string[];
}
