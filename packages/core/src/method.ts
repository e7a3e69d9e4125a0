import type { Capability } from './capabilities.js';
import type { Model } from './model.js';
import type { ResolvedTarget, Target } from './target.js';
import type { Tensor } from './tensor.js';

/** A declared method option; CLI flags and playground forms are generated from these. */
export type OptionSpec =
  | {
      readonly type: 'number';
      readonly default: number;
      readonly description: string;
      readonly min?: number;
      readonly max?: number;
      /**
       * Words accepted instead of a number (e.g. `['zero']` for Integrated Gradients' `baseline`);
       * the method gives each its meaning. The option's value is then a number or one of these strings.
       */
      readonly words?: readonly string[];
    }
  | {
      readonly type: 'integer';
      readonly default: number;
      readonly description: string;
      readonly min?: number;
      readonly max?: number;
    }
  | { readonly type: 'boolean'; readonly default: boolean; readonly description: string }
  | {
      readonly type: 'enum';
      readonly default: string;
      readonly description: string;
      readonly values: readonly string[];
    };

export type OptionValues = Record<string, number | boolean | string>;
export type OptionSpecs<O extends OptionValues> = { readonly [K in keyof O]: OptionSpec };

/**
 * Many inputs for a batched run: a tensor `[N, …]`, or a source that makes rows `[start, end)` on
 * demand so only one chunk is ever held (Score-CAM's masked inputs, occlusion windows, …).
 */
export type BatchSource =
  Tensor | { readonly count: number; readonly make: (start: number, end: number) => Tensor | Promise<Tensor> };

export interface BatchOptions {
  /** Rows per model call (default 32; 1 when the model lacks `batched-forward`). */
  readonly batch?: number;
  /** Progress is reported as `offset + rows done` of `total` (default: 0 of this call's rows). */
  readonly progress?: { readonly offset: number; readonly total: number };
}

/** The part of an {@link ExplainContext} that says what to explain. */
export interface ExplainSubject {
  readonly model: Model;
  /** One image, `[1, …]` in the model's input layout, already normalised. */
  readonly input: Tensor;
  /** Target layers (validated against the model); empty for methods that ignore layers. */
  readonly layers: readonly string[];
  readonly target: Target;
}

/**
 * What a method is given for one image: the subject, plus the means to run the model many times
 * (chunked, cancellable, with progress). Build one with `explainContext`; derive one for another
 * input with `withSubject` (spreading keeps the old input in `runFromLayer`).
 */
export interface ExplainContext extends ExplainSubject {
  /** Logits `[N, numClasses]` of N inputs, run in chunks of `batch`; checks the signal between chunks. */
  forwardBatch(inputs: BatchSource, options?: BatchOptions): Promise<Tensor>;
  /**
   * Logits `[N, numClasses]` from N replacements of `layer`'s output (channels-first), the rest of
   * the network computed from `input`; only the tail runs (capability `run-from-layer`).
   */
  runFromLayer(layer: string, activations: BatchSource, options?: BatchOptions): Promise<Tensor>;
  /** Reports progress of a long method (`done` of `total` units, e.g. model rows). */
  onProgress(done: number, total: number): void;
  readonly signal: AbortSignal;
  /** Throws `AbortedError` when `signal` has fired. */
  checkAborted(): void;
}

/** What a method returns. */
export interface MethodResult {
  /** `[H, W]` at input resolution, in [0, 1]. */
  readonly map: Tensor;
  /**
   * CAM methods: the map before scaling, at layer resolution `[h, w]`.
   * Input-space methods: the attribution in the input's layout `[1, …]`.
   */
  readonly raw: Tensor;
  readonly target: ResolvedTarget;
  /** The layers actually used, when the method chose them itself (e.g. CAM's feature layer). */
  readonly layers?: readonly string[];
  /** Further named maps, for methods that produce several (e.g. one per DFF concept). */
  readonly maps?: readonly NamedMap[];
  /** Facts about the run a method reports (e.g. Integrated Gradients' completeness gap). */
  readonly metadata?: Readonly<Record<string, number | string | boolean>>;
}

/** One of several maps a method returns: `map` `[H, W]` in [0, 1], its `raw` values, and facts about it. */
export interface NamedMap {
  /** kebab-case, unique within the result (the CLI writes `<method>.<name>.npy`). */
  readonly name: string;
  readonly map: Tensor;
  readonly raw: Tensor;
  /** e.g. a DFF concept's top classes. */
  readonly info?: Readonly<Record<string, unknown>>;
}

/**
 * An explanation method, what plugins export: an id, what it needs from a backend, typed options
 * with defaults, and `explain`. First- and third-party methods are registered the same way
 * (`createGradscope({ methods })`, `gs.register`, or `registerMethods` on a container you own).
 */
export interface Method<O extends OptionValues = OptionValues> {
  /** kebab-case id, equal to the file name that defines it. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** `layer`: a map computed at a layer (CAM family); `input`: an attribution over input pixels. */
  readonly space: 'layer' | 'input';
  /** Whether the method uses target layers (input-gradient methods do not, Guided Grad-CAM does). */
  readonly usesLayers: boolean;
  readonly requires: readonly Capability[];
  readonly options: OptionSpecs<O>;
  explain(ctx: ExplainContext, options: O): Promise<MethodResult>;
}

/** Identity helper that keeps a method's option type. */
export function defineMethod<O extends OptionValues>(m: Method<O>): Method<O> {
  return m;
}
