import type { Capability } from './capabilities.js';
import type { Model, Normalization } from './model.js';

/** Where a model comes from: a path (Node), a URL, raw bytes or browser `File`s. */
export type ModelSource =
  | string
  | URL
  | Uint8Array
  | ArrayBuffer
  | readonly File[]
  | { readonly kind: 'files'; readonly files: readonly File[] };

export interface LoadOptions {
  /** Overrides the input normalisation recorded with the model. */
  readonly normalization?: Normalization;
  /** Input size to assume when the model's input size is dynamic. */
  readonly inputSize?: { readonly height: number; readonly width: number };
  /** The output to explain when the model has several (its name); required then. */
  readonly output?: string;
  /** Overrides the sidecar's channel order (`bgr`: the network takes blue, green, red). */
  readonly channelOrder?: 'rgb' | 'bgr';
  /**
   * Lets a model's files name files outside the model's folder (tfjs weight paths such as
   * `../shared/weights.bin`). Off by default, so an uploaded model cannot read other files; turn it
   * on only for trusted layouts.
   */
  readonly allowPathsOutsideModelDir?: boolean;
}

/** A runtime that loads models and captures activations and gradients. */
export interface Backend {
  /** kebab-case id, e.g. `tfjs` or `onnx`. */
  readonly id: string;
  readonly capabilities: ReadonlySet<Capability>;
  load(source: ModelSource, options?: LoadOptions): Promise<Model>;
}
