import { num, type ModelProto } from '@gradscope/onnx-proto';
import { NORMALIZED_OPSET, normalizeToOpset11 } from './normalize-opset.js';
import { OnnxGraph } from './onnx-graph.js';

const cache = new WeakMap<OnnxGraph, OnnxGraph>();

/**
 * The graph that backward passes are built on: the graph itself at opset ≥ 11; for an opset 7–10
 * model, its (head-stripped) nodes in their opset-11 forms (`normalizeToOpset11`) in a model that
 * imports opset 11, computed once per graph. Tensor names are unchanged, so probe facts and layer
 * names apply to both; forward runs and activation-only captures keep the original graph and opset.
 */
export function gradientGraph(graph: OnnxGraph): OnnxGraph {
  if (graph.opset >= NORMALIZED_OPSET) return graph;
  const cached = cache.get(graph);
  if (cached) return cached;
  const up = normalizeToOpset11(graph.nodeProtos(), graph.opset);
  const m = graph.model;
  const model = {
    ...m,
    irVersion: Math.max(num(m.irVersion), 6), // opset 11 came with IR version 6
    opsetImport: (m.opsetImport ?? []).map((o) =>
      !o.domain || o.domain === 'ai.onnx' ? { ...o, version: NORMALIZED_OPSET } : o,
    ),
    graph: {
      ...m.graph!,
      node: up.nodes,
      initializer: [...(m.graph!.initializer ?? []), ...up.initializers],
      output: [{ name: graph.outputName }],
    },
  } as unknown as ModelProto;
  const g = new OnnxGraph(model, `${graph.opset}→${NORMALIZED_OPSET}`, graph.outputName, {
    stripHead: false,
    rewrittenFrom: up.rewritten,
  });
  cache.set(graph, g);
  return g;
}
