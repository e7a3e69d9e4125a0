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
  const index = graph.nodes.findIndex((n) => n.outputs[0] === graph.outputName);
  const node = graph.nodes[index];
  if (!node || node.domain !== '' || (node.opType !== 'Gemm' && node.opType !== 'MatMul')) return null;
  const [A, B] = node.inputs as [string, string];
  const w = graph.constant(B);
  if (!w || w.dims.length !== 2 || facts.get(A)?.shape.length !== 2) return null;
  const gemm = node.opType === 'Gemm';
  if (gemm && node.attrs.int('transA', 0) !== 0) return null;
  const alpha = gemm ? node.attrs.float('alpha', 1) : 1;
  const transB = gemm && node.attrs.int('transB', 0) === 1;
  if (transB && alpha === 1) return { index, input: A, rows: B };
  const [r, c] = w.dims as [number, number];
  const [K, F] = transB ? [r, c] : [c, r];
  const values = new Float32Array(K * F);
  for (let k = 0; k < K; k++) for (let f = 0; f < F; f++) values[k * F + f] = alpha * w.values[transB ? k * c + f : f * c + k]!;
  return { index, input: A, rows: { values, dims: [K, F] } };
}
