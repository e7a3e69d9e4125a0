import type { InputSpec, Layout, Normalization } from '@gradscope/core';
import type { GradRuleRegistry } from './grad/grad-registry.js';
import type { OnnxGraph } from './graph/onnx-graph.js';
import type { OrtRuntime } from './ort-types.js';
import type { TensorFacts } from './probe.js';

/** Everything a loaded model is made from. */
export interface OnnxModelParts {
  readonly ort: OrtRuntime;
  readonly graph: OnnxGraph;
  readonly facts: ReadonlyMap<string, TensorFacts>;
  readonly rules: GradRuleRegistry;
  readonly sessionOptions: Record<string, unknown>;
  /** Apply ReLU masks by multiplication (onnxruntime-node; see `BackwardRequest.maskByMultiply`). */
  readonly maskByMultiply: boolean;
  /** For derived models with a backward pass (see `withoutWebGpu` in onnx-backend.ts). */
  readonly backwardSessionOptions: Record<string, unknown>;
  readonly cacheSize: number;
  /** Most initializer bytes the derived sessions in the cache may hold (see `OnnxBackendOptions.cacheBytes`). */
  readonly cacheBytes: number;
  readonly name: string;
  /** The input's layout (channels-first, or channels-last for e.g. tf2onnx exports of Keras models). */
  readonly layout: Layout;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly normalization?: Normalization;
  /** From the sidecar. */
  readonly classes?: readonly string[];
  readonly channelOrder?: 'rgb' | 'bgr';
}

/** The model's input as gradscope describes it (batch -1 unless the model fixes it to 1). */
export function inputSpec(parts: OnnxModelParts, staticBatch: boolean): InputSpec {
  const { channels, height, width, layout } = parts;
  return {
    name: parts.graph.inputName,
    shape: [staticBatch ? 1 : -1, ...(layout === 'NHWC' ? [height, width, channels] : [channels, height, width])],
    layout,
    height,
    width,
    channels,
    ...(parts.normalization ? { normalization: parts.normalization } : {}),
    ...(parts.channelOrder === 'bgr' ? { channelOrder: 'bgr' as const } : {}),
  };
}
