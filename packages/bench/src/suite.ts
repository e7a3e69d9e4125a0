import type { RowGoals } from './goals.js';
import type { TimeOptions, Timing } from './time-median.js';

/** PyTorch's own timings of the same network on the same CPU (1 thread), as a reference. */
export interface TorchReference {
  /** Median ms of one forward (no_grad). */
  readonly forwardMs: number;
  /** Median ms of a forward plus the backward of the top-1 logit to the input (parameters frozen). */
  readonly forwardBackwardMs: number;
  /** Where the numbers come from, e.g. `torch 1.13, measured now`. */
  readonly source: string;
}

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
  /** Goals this row is held to; the default is `{ ratio: GOALS }`. */
  readonly goals?: RowGoals;
  /** PyTorch timings of the same network, when known (full-size ONNX rows). */
  readonly torch?: TorchReference;
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
