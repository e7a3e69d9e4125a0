import type { GraphNode, OnnxGraph } from '../graph/onnx-graph.js';
import type { TensorFacts } from '../probe.js';

/**
 * Tensors that need a gradient: float, downstream of a source and upstream of the logits (the
 * backward walk visits only nodes between them, like tfjs's `getFilteredNodesXToY`).
 */
export function gradientPath(
  graph: OnnxGraph,
  facts: ReadonlyMap<string, TensorFacts>,
  sources: readonly string[],
): Set<string> {
  return tensorsBetween(graph.nodes, sources, graph.outputName, (t) => facts.get(t)?.type === 'float32');
}

/**
 * Tensors of `nodes` (topologically ordered) that are downstream of a source (and `isFloat`, or a
 * source) and upstream of `target`.
 */
export function tensorsBetween(
  nodes: readonly Pick<GraphNode, 'inputs' | 'outputs'>[],
  sources: readonly string[],
  target: string,
  isFloat: (tensor: string) => boolean,
): Set<string> {
  const down = new Set(sources);
  for (const n of nodes)
    if (n.inputs.some((i) => down.has(i))) for (const o of n.outputs) if (o && isFloat(o)) down.add(o);
  const up = new Set([target]);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!;
    if (n.outputs.some((o) => up.has(o))) for (const x of n.inputs) if (x) up.add(x);
  }
  return new Set([...down].filter((t) => up.has(t)));
}
