/**
 * The parts of a tfjs LayersModel artifact this package reads: the Keras-style topology from
 * `model.json` and the weights (specs in manifest order plus their concatenated bytes), the same
 * shape as tfjs's `io.ModelArtifacts`.
 */
export interface LayersModelArtifacts {
  /** `model.json`'s `modelTopology`: `{ class_name: 'Model' | 'Sequential' | 'Functional', config }`. */
  readonly modelTopology: unknown;
  /** One entry per weight, in the order their bytes appear in `weightData`. */
  readonly weightSpecs: readonly WeightSpec[];
  /** The weight bytes of every shard, concatenated in manifest order. */
  readonly weightData: Uint8Array | ArrayBuffer;
}

/** A weight manifest entry (`weightsManifest[i].weights[j]` in `model.json`). */
export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  /** Post-training quantisation: stored values are `v`, real values `v·scale + min` (float16: none). */
  readonly quantization?: { readonly dtype: string; readonly scale?: number; readonly min?: number };
}

/** One group of `model.json`'s `weightsManifest`: shard file paths and the weights they hold. */
export interface WeightsManifestGroup {
  readonly paths: readonly string[];
  readonly weights: readonly WeightSpec[];
}

/** `model.json` of a tfjs LayersModel (`format: 'layers-model'`). */
export interface LayersModelJson {
  readonly format?: string;
  readonly modelTopology: unknown;
  readonly weightsManifest: readonly WeightsManifestGroup[];
}
