import type { LinearHead, Tensor } from '@gradscope/core';
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
  /** K: the rows of α·W (one per logit). */
  readonly classes: number;
  /** α·W as [K, F]: row k is d y_k / d A. */
  rows(): { readonly values: Float32Array; readonly dims: [number, number] };
}

export function linearLogits(graph: OnnxGraph): LinearLogits | null {
  const node = graph.producer.get(graph.outputName);
  if (!node || node.domain !== '' || (node.opType !== 'Gemm' && node.opType !== 'MatMul')) return null;
  const gemm = node.opType === 'Gemm';
  if (gemm && node.attrs.int('transA', 0)) return null;
  // the weight's values are decoded only when rows() asks (ResNet-50's is 2M floats; the top-1
  // backward and the capabilities need its dims alone)
  const dims = graph.constantDims(node.inputs[1]!);
  if (!dims || dims.length !== 2) return null;
  const alpha = gemm ? node.attrs.float('alpha', 1) : 1;
  const transB = gemm && node.attrs.int('transB', 0) === 1;
  return {
    node,
    input: node.inputs[0]!,
    weight: node.inputs[1]!,
    rowsAsStored: transB && alpha === 1,
    classes: transB ? dims[0]! : dims[1]!,
    rows() {
      const B = graph.constant(node.inputs[1]!)!;
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
 * flatten) and returns F (named by `nameOf`) with the dense weights as [numClasses, channels], else
 * null. The weights are made on first read of `weights` (most runs only need `featureLayer`).
 */
export function findLinearHead(graph: OnnxGraph, nameOf: (tensor: string) => string = (t) => t): LinearHead | null {
  const head = linearLogits(graph);
  if (!head || head.node.opType !== 'Gemm') return null;
  const flat = graph.producer.get(head.input);
  if (!flat || !['Flatten', 'Reshape', 'Squeeze'].includes(flat.opType)) return null;
  const gap = graph.producer.get(flat.inputs[0]!);
  if (!gap || gap.opType !== 'GlobalAveragePool') return null;
  // Gemm's C, β-scaled, when it is a constant [K] (or [1, K]) vector
  const C = head.node.inputs[2] ? graph.constant(head.node.inputs[2]) : null;
  const beta = head.node.attrs.float('beta', 1);
  const K = head.classes;
  const bias = C && C.values.length === K ? { data: Float32Array.from(C.values, (v) => beta * v), shape: [K] } : null;
  let weights: Tensor | null = null;
  return {
    featureLayer: nameOf(gap.inputs[0]!),
    get weights(): Tensor {
      if (!weights) {
        const { values, dims } = head.rows();
        weights = { data: values, shape: dims };
      }
      return weights;
    },
    ...(bias ? { bias } : {}),
  };
}
