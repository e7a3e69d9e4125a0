import {
  BadInputError,
  LOGITS_LAYER,
  UnsupportedModelError,
  reinitializedWeights,
  type WeightRole,
} from '@gradscope/core';
import { floatTensor, tensorDims, type TensorProto } from '@gradscope/onnx-proto';
import type { LayerTable } from './list-layers.js';
import { modulePaths } from './module-paths.js';
import type { GraphNode, OnnxGraph } from './onnx-graph.js';

const WEIGHTED = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul', 'BatchNormalization']);
/** Activations a converter splits off a layer (Keras's fused `activation`): a layer name may point past them. */
const ACTIVATIONS = new Set([
  'Relu',
  'Clip',
  'Sigmoid',
  'Tanh',
  'LeakyRelu',
  'Elu',
  'Selu',
  'HardSigmoid',
  'HardSwish',
]);

/** What each input of a weighted node is (by position), and the fan-in of its kernel (PyTorch's convention). */
function roles(n: GraphNode, dims: (i: number) => readonly number[]): [number, WeightRole, number][] {
  const prod = (d: readonly number[]) => d.reduce((a, b) => a * b, 1);
  switch (n.opType) {
    case 'Conv':
    case 'ConvTranspose':
      return [
        [1, 'kernel', prod(dims(1).slice(1))],
        [2, 'zeros', 0],
      ];
    case 'Gemm': {
      const b = dims(1);
      return [
        [1, 'kernel', n.attrs.int('transB', 0) ? b[1]! : b[0]!],
        [2, 'zeros', 0],
      ];
    }
    case 'MatMul':
      return [[1, 'kernel', dims(1).at(-2) ?? 1]];
    default: // BatchNormalization: scale, B (the running mean and variance are kept)
      return [
        [1, 'ones', 0],
        [2, 'zeros', 0],
      ];
  }
}

/**
 * The weighted nodes (Conv, ConvTranspose, Gemm, MatMul, BatchNormalization) a layer name stands for:
 * every one under a module path (`layer4`); for a tensor, the weighted node producing it, looking
 * through one activation (a converted Keras `conv1` with `activation: 'relu'` is Conv → Relu);
 * for `LOGITS_LAYER`, the first weighted node met walking back from the logits.
 */
export function weightedNodes(graph: OnnxGraph, table: LayerTable, layer: string): GraphNode[] {
  if (layer === LOGITS_LAYER) {
    let n = graph.producer.get(graph.outputName);
    while (n && !WEIGHTED.has(n.opType)) n = graph.producer.get(n.inputs[0] ?? '');
    return n ? [n] : [];
  }
  const tensor = table.tensorOf.get(layer);
  if (tensor === undefined) return [];
  if (tensor !== layer) return graph.nodes.filter((n) => WEIGHTED.has(n.opType) && modulePaths(n.name).includes(layer));
  const p = graph.producer.get(tensor);
  if (p && WEIGHTED.has(p.opType)) return [p];
  const q = p && ACTIVATIONS.has(p.opType) ? graph.producer.get(p.inputs[0] ?? '') : undefined;
  return q && WEIGHTED.has(q.opType) ? [q] : [];
}

/**
 * New initializers for the weights of `nodes` (see `reinitializedWeights` in core: kernels He
 * truncated normal with PyTorch's fan-in, biases and β zero, γ one; running statistics kept),
 * keyed by initializer name. A weight that is not an initializer is refused.
 */
export function randomizedInitializers(
  graph: OnnxGraph,
  nodes: readonly GraphNode[],
  seed: number,
): Map<string, TensorProto> {
  const out = new Map<string, TensorProto>();
  for (const n of nodes) {
    const init = (i: number) => graph.initializers.get(n.inputs[i] ?? '');
    for (const [i, role, fanIn] of roles(n, (k) => {
      const t = init(k);
      return t ? tensorDims(t) : [];
    })) {
      const name = n.inputs[i];
      if (!name || out.has(name)) continue;
      const t = init(i);
      if (!t) throw new UnsupportedModelError(`input ${i} of node '${n.name}' (${n.opType}) is not an initializer`);
      const d = tensorDims(t);
      const size = d.reduce((a, b) => a * b, 1);
      out.set(name, floatTensor(name, d, reinitializedWeights(role, size, fanIn, seed, name)));
    }
  }
  return out;
}

/** {@link weightedNodes} of each layer, refusing a layer without weights. */
export function layersWeightedNodes(graph: OnnxGraph, table: LayerTable, layers: readonly string[]): GraphNode[] {
  return layers.flatMap((l) => {
    const nodes = weightedNodes(graph, table, l);
    if (!nodes.length) throw new BadInputError(`layer '${l}' has no weights to randomise`);
    return nodes;
  });
}
