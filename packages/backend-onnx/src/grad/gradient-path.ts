import type { OnnxGraph } from '../graph/onnx-graph.js';
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
  const isFloat = (t: string) => facts.get(t)?.type === 'float32';
  const down = new Set(sources);
  for (const n of graph.nodes)
    if (n.inputs.some((i) => down.has(i))) for (const o of n.outputs) if (o && isFloat(o)) down.add(o);
  const up = new Set([graph.outputName]);
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const n = graph.nodes[i]!;
    if (n.outputs.some((o) => up.has(o))) for (const x of n.inputs) if (x) up.add(x);
  }
  return new Set([...down].filter((t) => up.has(t)));
}
