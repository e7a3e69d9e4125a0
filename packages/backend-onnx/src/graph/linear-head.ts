import type { LinearHead } from '@gradscope/core';
import type { OnnxGraph } from './onnx-graph.js';

/**
 * Recognises logits = Gemm(Flatten(GlobalAveragePool(F))) (Reshape/Squeeze also accepted as the
 * flatten) and returns F with the dense weights as [numClasses, channels], else null.
 */
export function findLinearHead(graph: OnnxGraph): LinearHead | null {
  const gemm = graph.producer.get(graph.outputName);
  if (!gemm || gemm.opType !== 'Gemm' || gemm.attrs.int('transA', 0)) return null;
  const flat = graph.producer.get(gemm.inputs[0]!);
  if (!flat || !['Flatten', 'Reshape', 'Squeeze'].includes(flat.opType)) return null;
  const gap = graph.producer.get(flat.inputs[0]!);
  if (!gap || gap.opType !== 'GlobalAveragePool') return null;
  const B = graph.constant(gemm.inputs[1]!);
  if (!B || B.dims.length !== 2) return null;
  const alpha = gemm.attrs.float('alpha', 1);
  const transB = gemm.attrs.int('transB', 0) === 1;
  const [r, c] = B.dims as [number, number];
  const K = transB ? r : c;
  const C = transB ? c : r;
  const w = new Float32Array(K * C);
  for (let k = 0; k < K; k++) for (let ch = 0; ch < C; ch++) w[k * C + ch] = alpha * B.values[transB ? k * C + ch : ch * K + k]!;
  return { featureLayer: gap.inputs[0]!, weights: { data: w, shape: [K, C] } };
}
