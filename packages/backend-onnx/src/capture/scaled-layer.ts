import { UnsupportedModelError } from '@gradscope/core';
import { floatTensor, type ModelProto, type NodeProto } from '@gradscope/onnx-proto';
import { OnnxGraph } from '../graph/onnx-graph.js';
import type { TensorFacts } from '../probe.js';

/**
 * The network with one layer output scaled by a constant: the node computing `tensor` now writes
 * `<tensor>/gradscope-unscaled`, and `tensor = Mul(unscaled, scale)` feeds every consumer. So a
 * capture of `tensor` in the result records A' = scale·A and d score / d A at A' (what a central
 * difference along A needs).
 */
export function scaledLayerGraph(
  graph: OnnxGraph,
  facts: ReadonlyMap<string, TensorFacts>,
  tensor: string,
  scale: number,
): { readonly graph: OnnxGraph; readonly facts: ReadonlyMap<string, TensorFacts> } {
  const raw = `${tensor}/gradscope-unscaled`;
  const factor = `${tensor}/gradscope-scale`;
  const nodes: NodeProto[] = graph
    .nodeProtos()
    .map((p) => (p.output?.includes(tensor) ? { ...p, output: p.output.map((o) => (o === tensor ? raw : o)) } : p));
  const at = nodes.findIndex((p) => p.output?.includes(raw));
  if (at < 0 || tensor === graph.outputName)
    throw new UnsupportedModelError(
      `layer tensor '${tensor}' is not an inner node's output: no Hessian-vector product`,
    );
  nodes.splice(at + 1, 0, { opType: 'Mul', input: [raw, factor], output: [tensor], name: `${factor}/Mul` });
  const model = graph.derive({
    node: nodes,
    output: [{ name: graph.outputName }],
    initializer: [...(graph.model.graph!.initializer ?? []), floatTensor(factor, [], [scale])],
  });
  return {
    graph: new OnnxGraph(model as ModelProto, `${tensor} scaled by ${scale}`),
    facts: new Map([...facts, [raw, facts.get(tensor)!]]),
  };
}
