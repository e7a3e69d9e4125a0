import * as tf from '@tensorflow/tfjs';
import type { InputSpec } from '@gradscope/core';
import type { FlatGraph, FlatNode } from './flat-graph.js';
import type { KernelFlipCache } from '../grad/kernel-flip-cache.js';

/** What capture and run-from-layer need to know about a loaded LayersModel. */
export interface LayersModelState {
  readonly graph: FlatGraph;
  /** The logits: the model output, or the input of a bypassed final softmax/sigmoid. */
  readonly outputKey: string;
  /** A final Dense whose softmax/sigmoid activation is dropped, if any. */
  readonly linearNode: FlatNode | null;
  readonly input: InputSpec;
  /** The logits of one image as core sees them: `[K]`, or `[K, H, W]` class planes. */
  readonly outputDims: readonly number[];
  readonly flips: KernelFlipCache;
  /** Tensor key of a listed layer name; throws UnknownLayerError otherwise. */
  keyOf(layer: string): string;
}

/**
 * The logits as core sees them: NHWC class planes `[N, H, W, K]` (a segmentation model's output)
 * moved to channels-first `[N, K, H, W]`; classifier logits `[N, K]` as they are.
 */
export const logitsOf = (t: tf.Tensor): tf.Tensor => (t.rank === 4 ? tf.transpose(t, [0, 3, 1, 2]) : t);
