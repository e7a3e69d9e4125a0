import type { OptionSpec, OptionValues } from '@gradscope/core';

/** The messages between the page and the worker that does all the computation. */

/** A compute device: a runtime (tfjs or onnxruntime-web) and its device. */
export type DeviceId = 'tfjs-webgl' | 'tfjs-webgpu' | 'tfjs-wasm' | 'onnx-wasm' | 'onnx-webgpu';
export const DEVICES: readonly DeviceId[] = ['tfjs-webgl', 'tfjs-webgpu', 'tfjs-wasm', 'onnx-wasm', 'onnx-webgpu'];

export interface DeviceSupport {
  readonly id: DeviceId;
  readonly ok: boolean;
  /** Why it is missing, when it is. */
  readonly why?: string;
}

export interface MethodInfo {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly space: 'layer' | 'input';
  readonly usesLayers: boolean;
  readonly requires: readonly string[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly plugin: boolean;
}

/** Where a model comes from. The built-in model exists in both forms; files/URL pick by extension. */
/**
 * The models the app serves itself: the built-in shapes model, and the two models of the GAIN experiment
 * (packages/gain/experiment: the baseline and GAIN_ext, trained on background-biased shapes), each in
 * tfjs and ONNX form with a sidecar, under `models/<id>/`.
 */
export const BUILTIN_MODELS = {
  shapes: 'built-in shapes model (tfjs and ONNX)',
  'gain-baseline': 'GAIN experiment: baseline, biased shapes (tfjs and ONNX)',
  'gain-ext': 'GAIN experiment: GAIN_ext, biased shapes (tfjs and ONNX)',
} as const;
export type BuiltinModelId = keyof typeof BUILTIN_MODELS;

/** The built-in models shown side by side with each other: the GAIN experiment's before/after pair. */
export const PAIRED_MODEL: Readonly<Partial<Record<BuiltinModelId, BuiltinModelId>>> = {
  'gain-ext': 'gain-baseline',
  'gain-baseline': 'gain-ext',
};

/**
 * What the comparison column runs every method on: the same model on another device, or
 * `model:<id>`, the current built-in model's pair (PAIRED_MODEL) on the same device and input.
 */
export type CompareId = DeviceId | `model:${BuiltinModelId}`;

/** The paired model a comparison names, or null when it names a device. */
export const comparedModel = (c: CompareId | null): BuiltinModelId | null =>
  c?.startsWith('model:') ? (c.slice(6) as BuiltinModelId) : null;

export type ModelChoice =
  | { readonly kind: 'builtin'; readonly id: BuiltinModelId }
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'files'; readonly files: readonly File[] };

export interface LayerRow {
  readonly name: string;
  readonly type: string;
  readonly shape: readonly number[];
  readonly candidate: boolean;
}

export interface ModelInfo {
  readonly name: string;
  readonly backend: string;
  readonly input: {
    readonly height: number;
    readonly width: number;
    readonly channels: number;
    readonly layout: string;
  };
  readonly layers: readonly LayerRow[];
  readonly autoLayer: string | null;
  readonly classes: readonly string[];
  readonly numClasses: number;
  /** Ids of registered methods whose requirements the model meets. */
  readonly runnable: readonly string[];
}

export interface ClassScore {
  readonly index: number;
  readonly name: string | null;
  readonly probability: number;
  readonly logit: number;
}

export interface Pixels {
  readonly data: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}

/**
 * How an image becomes the input tensor: resize to height×width, pixels in [0, 1] (range 1) or
 * 0–255 (range 255), channels in RGB or BGR order, then `(p − mean) / std` per channel.
 */
export interface Preprocessing {
  readonly height: number;
  readonly width: number;
  readonly mean: readonly number[];
  readonly std: readonly number[];
  readonly range: 1 | 255;
  readonly order: 'rgb' | 'bgr';
}

/** The input tensor's shape and per-channel value range, as the network received it. */
export interface TensorSummary {
  readonly shape: readonly number[];
  readonly min: readonly number[];
  readonly max: readonly number[];
}

/** The score a run explains: core's target kinds (similarity and seed take a vector over the outputs). */
export type TargetKind = 'class' | 'softmax' | 'rest' | 'finer' | 'binary' | 'similarity' | 'seed';
export const TARGET_KINDS: readonly TargetKind[] = [
  'class',
  'softmax',
  'rest',
  'finer',
  'binary',
  'similarity',
  'seed',
];

export interface MethodRequest {
  readonly id: string;
  readonly options: OptionValues;
}

export type Request =
  | { readonly type: 'init' }
  | {
      readonly type: 'load';
      readonly device: DeviceId;
      readonly model: ModelChoice;
      /** An input size asked for (models with a dynamic size take it; fixed ones must match). */
      readonly inputSize?: { readonly height: number; readonly width: number };
    }
  | { readonly type: 'image'; readonly pixels: Pixels; readonly pre: Preprocessing }
  | {
      readonly type: 'explain';
      readonly run: number;
      readonly methods: readonly MethodRequest[];
      readonly layer: string;
      readonly target: number | null;
      readonly targetKind: TargetKind;
      /** Explain what lowers the score (the target negated). */
      readonly negate: boolean;
      /** The vector of the similarity and seed kinds (one entry per output), from a .npy file. */
      readonly vector: readonly number[] | null;
      /** Run each method on this device too (the same model in its form there), or on the paired model, for a difference map. */
      readonly compare: CompareId | null;
    }
  | { readonly type: 'cancel'; readonly run: number }
  | { readonly type: 'plugin'; readonly name: string; readonly source: string };

export interface MethodOutput {
  readonly run: number;
  readonly method: string;
  readonly space: 'layer' | 'input';
  readonly map: { readonly data: Float32Array; readonly shape: readonly number[] };
  readonly raw: { readonly data: Float32Array; readonly shape: readonly number[] };
  readonly layers: readonly string[];
  readonly target: { readonly classIndex: number | null; readonly score: number; readonly negate: boolean };
  readonly ms: number;
}

/** The same method on the comparison device or paired model: its map and time (the page computes the difference). */
export interface CompareOutput {
  readonly run: number;
  readonly method: string;
  readonly against: CompareId;
  readonly map: { readonly data: Float32Array; readonly shape: readonly number[] };
  readonly ms: number;
}

export type Reply =
  | { readonly type: 'ready'; readonly devices: readonly DeviceSupport[]; readonly methods: readonly MethodInfo[] }
  | {
      readonly type: 'loaded';
      readonly model: ModelInfo;
      readonly ms: number;
      /** The model's own preprocessing (sidecar or model normalisation, its input size). */
      readonly preprocessing: Preprocessing;
    }
  | {
      readonly type: 'predicted';
      readonly top: readonly ClassScore[];
      /** The tensor as an image in true colours (for overlays), and its channels shown as R, G, B. */
      readonly input: Pixels;
      readonly seen: Pixels;
      readonly forwardMs: number;
      /** The preprocessing applied, and the normalisation it amounts to for pixels in [0, 1]. */
      readonly pre: Preprocessing;
      readonly normalization: { readonly mean: readonly number[]; readonly std: readonly number[] };
      readonly tensor: TensorSummary;
    }
  | {
      readonly type: 'progress';
      readonly run: number;
      readonly method: string;
      readonly done: number;
      readonly total: number;
    }
  | ({ readonly type: 'result' } & MethodOutput)
  | ({ readonly type: 'compare' } & CompareOutput)
  | { readonly type: 'compare-error'; readonly run: number; readonly method: string; readonly message: string }
  | { readonly type: 'method-error'; readonly run: number; readonly method: string; readonly message: string }
  | { readonly type: 'finished'; readonly run: number; readonly cancelled: boolean }
  | {
      readonly type: 'plugin-loaded';
      readonly methods: readonly MethodInfo[];
      readonly added: readonly string[];
      /** The loaded model's runnable methods, now including the plugin's. */
      readonly runnable: readonly string[];
    }
  | {
      readonly type: 'error';
      readonly about: 'load' | 'image' | 'explain' | 'plugin' | 'init';
      readonly message: string;
    };

export type { OptionSpec, OptionValues };
