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
  readonly numClasses: number;
  readonly flips: KernelFlipCache;
  /** Tensor key of a listed layer name; throws UnknownLayerError otherwise. */
  keyOf(layer: string): string;
}
