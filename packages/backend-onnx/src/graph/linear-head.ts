import type { LinearHead } from '@gradscope/core';
import type { GraphNode, OnnxGraph } from './onnx-graph.js';

/** The layer that produces the logits when it is linear: y = α·A·W (Gemm with transA = 0, or MatMul) with a constant 2-D W. */
export interface LinearLogits {
  readonly node: GraphNode;
  /** Its input A. */
  readonly input: string;
  /** The weight initializer as stored. */
  readonly weight: string;
  /** Whether `weight` is already [K, F] with α = 1 (a Gemm with transB, as torch exports `nn.Linear`). */
  readonly rowsAsStored: boolean;
  /** α·W as [K, F]: row k is d y_k / d A. */
  rows(): { readonly values: Float32Array; readonly dims: [number, number] };
}

export function linearLogits(graph: OnnxGraph): LinearLogits | null {
  const node = graph.producer.get(graph.outputName);
  if (!node || node.domain !== '' || (node.opType !== 'Gemm' && node.opType !== 'MatMul')) return null;
  const gemm = node.opType === 'Gemm';
  if (gemm && node.attrs.int('transA', 0)) return null;
  const B = graph.constant(node.inputs[1]!);
  if (!B || B.dims.length !== 2) return null;
  const alpha = gemm ? node.attrs.float('alpha', 1) : 1;
  const transB = gemm && node.attrs.int('transB', 0) === 1;
  return {
    node,
    input: node.inputs[0]!,
    weight: node.inputs[1]!,
    rowsAsStored: transB && alpha === 1,
    rows() {
      const [r, c] = B.dims as [number, number];
      const [K, F] = transB ? [r, c] : [c, r];
      const values = new Float32Array(K * F);
      for (let k = 0; k < K; k++)
        for (let f = 0; f < F; f++) values[k * F + f] = alpha * B.values[transB ? k * F + f : f * K + k]!;
      return { values, dims: [K, F] };
    },
  };
}

/**
 * Recognises logits = Gemm(Flatten(GlobalAveragePool(F))) (Reshape/Squeeze also accepted as the
 * flatten) and returns F with the dense weights as [numClasses, channels], else null.
 */
export function findLinearHead(graph: OnnxGraph): LinearHead | null {
  const head = linearLogits(graph);
  if (!head || head.node.opType !== 'Gemm') return null;
  const flat = graph.producer.get(head.input);
  if (!flat || !['Flatten', 'Reshape', 'Squeeze'].includes(flat.opType)) return null;
  const gap = graph.producer.get(flat.inputs[0]!);
  if (!gap || gap.opType !== 'GlobalAveragePool') return null;
  const { values, dims } = head.rows();
  // Gemm's C, β-scaled, when it is a constant [K] (or [1, K]) vector
  const C = head.node.inputs[2] ? graph.constant(head.node.inputs[2]) : null;
  const beta = head.node.attrs.float('beta', 1);
  const bias =
    C && C.values.length === dims[0] ? { data: Float32Array.from(C.values, (v) => beta * v), shape: [dims[0]] } : null;
  return { featureLayer: gap.inputs[0]!, weights: { data: values, shape: dims }, ...(bias ? { bias } : {}) };
}
