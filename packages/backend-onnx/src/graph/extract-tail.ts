import { UnsupportedModelError } from '@gradscope/core';
import type { TensorFacts } from '../probe.js';
import type { NodeProto, ValueInfoProto } from '@gradscope/onnx-proto';
import type { OnnxGraph } from './onnx-graph.js';

const ELEM: Record<string, number> = { float32: 1, int32: 6, int64: 7, bool: 9, float64: 11 };

/** The network downstream of a cut tensor, as its own model. */
export interface TailModel {
  readonly model: ReturnType<OnnxGraph['derive']>;
  /** Tensors computed before the cut that the tail still reads: extra inputs. */
  readonly crossing: readonly string[];
}

/**
 * Extracts the nodes between `cut` and the logits. Nodes that do not depend on `cut` but whose
 * outputs the tail reads (e.g. a residual shortcut) are left out; their outputs become extra inputs
 * (`crossing`), to be computed by a forward run of the full model.
 */
export function extractTail(graph: OnnxGraph, facts: ReadonlyMap<string, TensorFacts>, cut: string): TailModel {
  const down = new Set([cut]);
  for (const n of graph.nodes) if (n.inputs.some((i) => down.has(i))) for (const o of n.outputs) if (o) down.add(o);
  if (!down.has(graph.outputName)) throw new UnsupportedModelError(`layer '${cut}' does not lead to the logits`);
  const keep = new Set<number>();
  const crossing = new Set<string>();
  const stack = [graph.outputName];
  const seen = new Set<string>();
  while (stack.length) {
    const t = stack.pop()!;
    if (!t || seen.has(t) || t === cut || graph.initializers.has(t)) continue;
    seen.add(t);
    const p = graph.producer.get(t);
    if (p && (down.has(t) || (p.opType === 'Constant' && !p.inputs.length))) {
      keep.add(p.index);
      stack.push(...p.inputs);
    } else crossing.add(t);
  }
  const node: NodeProto[] = graph.nodes.filter((n) => keep.has(n.index)).map((n) => n.proto);
  const vi = (name: string): ValueInfoProto => {
    const f = facts.get(name);
    const shape = f?.shape ?? [];
    return {
      name,
      type: {
        tensorType: {
          elemType: ELEM[f?.type ?? 'float32'] ?? 1,
          shape: {
            dim: shape.map((d, i) =>
              i === 0 && (f?.type ?? 'float32') === 'float32' ? { dimParam: 'N' } : { dimValue: d },
            ),
          },
        },
      },
    };
  };
  const used = new Set(node.flatMap((n) => n.input ?? []));
  const model = graph.derive({
    node,
    input: [vi(cut), ...[...crossing].map(vi)],
    output: [{ name: graph.outputName }],
    initializer: (graph.model.graph!.initializer ?? []).filter((t) => used.has(t.name ?? '')),
  });
  return { model, crossing: [...crossing] };
}
