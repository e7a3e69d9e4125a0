import { linearLogits } from '../graph/linear-head.js';
import type { OnnxGraph } from '../graph/onnx-graph.js';
import type { TensorFacts } from '../probe.js';

/** A linear head `y = α·A·W` (Gemm or MatMul with a constant weight) that produces the logits. */
export interface LinearHeadRows {
  /** Index of the head node in the graph. */
  readonly index: number;
  /** Its input A ([N, F]). */
  readonly input: string;
  /**
   * Either an existing initializer of shape [K, F] whose row k is d y_k / d A (a Gemm with transB
   * and α = 1, as torch exports `nn.Linear`), or values to add as one.
   */
  readonly rows: string | { readonly values: Float32Array; readonly dims: readonly [number, number] };
}

/**
 * For a top-1 seed sign·onehot(argmax(y)), d score / d A of a linear head is sign times ONE row of
 * its weight: the backward pass gathers that row instead of multiplying the seed by the whole
 * weight (a [K, F] matrix, 5 MB for a 1000-class head). Returns null unless the logits come from a
 * Gemm (transA = 0) or MatMul with a constant 2-D weight and a 2-D input.
 */
export function argmaxHeadRows(graph: OnnxGraph, facts: ReadonlyMap<string, TensorFacts>): LinearHeadRows | null {
  const head = linearLogits(graph);
  if (!head || facts.get(head.input)?.shape.length !== 2) return null;
  return { index: head.node.index, input: head.input, rows: head.rowsAsStored ? head.weight : head.rows() };
}
