import type * as tf from '@tensorflow/tfjs';

/**
 * The parts of tfjs-layers' internals the backend walks (public fields in tfjs 4.x that the
 * `LayersModel` typings do not expose). Kept in one place so a tfjs upgrade has one file to check.
 */
export interface SymTensor {
  readonly id: number;
  readonly shape: readonly (number | null)[];
  readonly sourceLayer: LayerLike;
  readonly nodeIndex: number;
  readonly tensorIndex: number;
}

export interface NodeLike {
  readonly inputTensors: readonly SymTensor[];
  readonly outputTensors: readonly SymTensor[];
  readonly callArgs?: Record<string, unknown>;
}

export interface VariableLike {
  read(): tf.Tensor;
}

export interface ActivationLike {
  apply(x: tf.Tensor): tf.Tensor;
  getClassName(): string;
}

export interface LayerLike {
  readonly name: string;
  getClassName(): string;
  readonly inboundNodes: readonly NodeLike[];
  apply(inputs: tf.Tensor | tf.Tensor[], kwargs?: Record<string, unknown>): tf.Tensor | tf.Tensor[];
  // Present on some layer classes only.
  readonly activation?: ActivationLike;
  readonly kernel?: VariableLike;
  readonly depthwiseKernel?: VariableLike;
  readonly bias?: VariableLike | null;
  readonly gamma?: VariableLike | null;
  readonly beta?: VariableLike | null;
  readonly movingMean?: VariableLike;
  readonly movingVariance?: VariableLike;
  readonly epsilon?: number;
  readonly axis?: number;
  readonly strides?: number[];
  readonly padding?: string;
  readonly dataFormat?: string;
  readonly dilationRate?: number | number[];
  readonly maxValue?: number | null;
  readonly depthMultiplier?: number;
}

export interface ContainerLike extends LayerLike {
  readonly inputs: readonly SymTensor[];
  readonly outputs: readonly SymTensor[];
  readonly layers: readonly LayerLike[];
}

export const asLayer = (l: unknown): LayerLike => l as LayerLike;
