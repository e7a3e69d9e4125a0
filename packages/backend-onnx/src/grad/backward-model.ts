import type { ReluMode } from '@gradscope/core';
import type { OnnxGraph } from '../graph/onnx-graph.js';
import type { FinerSeedSpec } from './finer-seed.js';

/** What the derived model must compute. */
export interface BackwardRequest {
  /** Tensors exposed as outputs (activations). */
  readonly layers: readonly string[];
  /** Also output d score / d layer for `layers`. */
  readonly gradients: boolean;
  readonly inputGradient: boolean;
  readonly reluMode: ReluMode;
  /** `relu`: the guided/deconvnet rule applies to ReLU nodes only, not to ReLU6 (default `all`). */
  readonly rectifiers?: 'all' | 'relu';
  /**
   * Top-1 class targets: compute the seed in the graph as sign·onehot(argmax(logits)) (first
   * maximum, like core's `argmax`), with `sign` ([N, 1], ±1) as the graph input instead of the seed.
   * Saves the extra forward pass that resolving the class outside the graph would need.
   */
  readonly seedFromArgmax?: boolean;
  /**
   * FinerCAM targets: compute core's `finer` seed in the graph from the logits (`finerSeed`), with
   * the sign ([N, 1], top-1) or sign·onehot(class) ([N, K]) as the graph input; saves the forward pass
   * that picking the comparison classes outside the graph would need.
   */
  readonly finerSeed?: FinerSeedSpec | undefined;
  /**
   * Apply bool masks as `Mul(g, Cast(mask))` instead of `Where(mask, g, 0)` — measured faster on
   * onnxruntime-node (mobilenet_v2 guided backprop and saliency −8 to −9 %, resnet18 −2 to −3 %),
   * slower on onnxruntime-web (up to 2×), whose Where is fast.
   */
  readonly maskByMultiply?: boolean;
}

/** A forward+backward model and the names of what it outputs. */
export interface BackwardModel {
  readonly model: ReturnType<OnnxGraph['derive']>;
  /** The seed input ([N, K]), or with `seedFromArgmax` the sign input ([N, 1]); see `finerSeed` for its input. */
  readonly seed: string;
  readonly activations: readonly string[];
  readonly gradients: readonly string[];
  readonly inputGradient: string | null;
  readonly stats: { readonly backwardNodes: number; readonly opset: number; readonly rulesUsed: readonly string[] };
}
