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
export type ModelChoice =
  | { readonly kind: 'builtin' }
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

export interface MethodRequest {
  readonly id: string;
  readonly options: OptionValues;
}

export type Request =
  | { readonly type: 'init' }
  | { readonly type: 'load'; readonly device: DeviceId; readonly model: ModelChoice }
  | { readonly type: 'image'; readonly pixels: Pixels }
  | {
      readonly type: 'explain';
      readonly run: number;
      readonly methods: readonly MethodRequest[];
      readonly layer: string;
      readonly target: number | null;
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

export type Reply =
  | { readonly type: 'ready'; readonly devices: readonly DeviceSupport[]; readonly methods: readonly MethodInfo[] }
  | { readonly type: 'loaded'; readonly model: ModelInfo; readonly ms: number }
  | {
      readonly type: 'predicted';
      readonly top: readonly ClassScore[];
      readonly input: Pixels;
      readonly forwardMs: number;
      readonly normalization: { readonly mean: readonly number[]; readonly std: readonly number[] };
    }
  | {
      readonly type: 'progress';
      readonly run: number;
      readonly method: string;
      readonly done: number;
      readonly total: number;
    }
  | ({ readonly type: 'result' } & MethodOutput)
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
