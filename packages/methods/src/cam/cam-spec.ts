import type {
  Capability,
  ExplainContext,
  Model,
  OptionSpecs,
  OptionValues,
  ResolvedTarget,
  Target,
} from '@gradscope/core';

/** What a CAM variant sees at one target layer of one image (channels-first, batch axis dropped). */
export interface CamLayer {
  readonly name: string;
  /** A, `[C·h·w]` channels-first. */
  readonly activations: Float32Array;
  /** G = d score / d A in the same layout; null unless the method requires `layer-gradients`. */
  readonly gradients: Float32Array | null;
  /** H·A (the score's Hessian in A, times A) in the same layout; null unless `requires` lists `hessian-vector`. */
  readonly hessianVector: Float32Array | null;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly target: ResolvedTarget;
  readonly model: Model;
  /** The run this layer belongs to (its `input` is the image this CAM explains, augmented or not):
   * for variants that run the model again (Score-CAM's masked forwards, Ablation-CAM's tails). */
  readonly context: ExplainContext;
}

type Out = Float32Array | Promise<Float32Array>;

interface CamBase<O extends OptionValues> {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly requires: readonly Capability[];
  readonly options: OptionSpecs<O>;
  /** Layers the method picks itself (classic CAM's feature layer); default: the requested layers. */
  readonly layers?: (model: Model) => readonly string[];
  /** Rewrites the target before the capture (e.g. negation for counterfactuals). */
  readonly target?: (target: Target, options: O) => Target;
}

/**
 * A CAM variant supplies ONE of:
 * - `weights`: channel weights `w_c`; map = `Σ_c w_c·A_c` (eigen smoothing projects `w ⊙ A`);
 * - `product`: an element-wise `[C·h·w]` product (HiResCAM's `G ⊙ A`); map = `Σ_c` of it (eigen
 *   smoothing projects it);
 * - `map`: its own `[h·w]` map (Eigen-CAM, KPCA-CAM, FEM): no eigen smoothing option.
 */
export type CamSpec<O extends OptionValues> = CamBase<O> &
  (
    | { readonly weights: (l: CamLayer, o: O) => Out; readonly product?: never; readonly map?: never }
    | { readonly product: (l: CamLayer, o: O) => Float32Array; readonly weights?: never; readonly map?: never }
    | { readonly map: (l: CamLayer, o: O) => Float32Array; readonly weights?: never; readonly product?: never }
  );
