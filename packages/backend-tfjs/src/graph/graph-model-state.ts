import type * as tf from '@tensorflow/tfjs';
import type { InputSpec } from '@gradscope/core';

/** What capture needs to know about a loaded GraphModel. */
export interface GraphModelState {
  readonly gm: tf.GraphModel;
  readonly inputName: string;
  /** The logits node (the output, or the input of a bypassed final Softmax/Sigmoid). */
  readonly outputName: string;
  readonly input: InputSpec;
  readonly numClasses: number;
  /** Listed layer names in topological order. */
  readonly order: readonly string[];
  /** Ops still fused after loading (their gradients need filter-gradient kernels). */
  readonly fusedOps: readonly string[];
  keyOf(layer: string): string;
}
