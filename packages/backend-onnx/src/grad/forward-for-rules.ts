import { UnsupportedModelError } from '@gradscope/core';
import type { OnnxGraph } from '../graph/onnx-graph.js';
import { upgradeToOpset16 } from '../graph/upgrade-opset.js';
import type { NodeProto, TensorProto } from '@gradscope/onnx-proto';
import type { GradRuleRegistry } from './grad-registry.js';

/** The forward nodes a backward pass extends, at the opset its rules need. */
export interface ForwardForRules {
  readonly nodes: NodeProto[];
  readonly opset: number;
  /** Initializers the opset upgrade added. */
  readonly initializers: readonly TensorProto[];
}

/**
 * The graph's forward nodes, upgraded to opset 16 when a rule that will run on the gradient path
 * `need` asks for a newer opset than the model's (`GradRule.minOpset`).
 */
export function forwardForRules(graph: OnnxGraph, need: ReadonlySet<string>, rules: GradRuleRegistry): ForwardForRules {
  const opset = graph.opset;
  if (opset < 11)
    throw new UnsupportedModelError(
      `internal: the forward of an opset-${opset} model must first be rewritten in its opset-11 form (gradientGraph)`,
    );
  const wanted = Math.max(
    0,
    ...graph.nodes
      .filter((n) => need.has(n.outputs[0] ?? '') && n.inputs.some((x) => need.has(x)))
      .map((n) => rules.get(n.opType, n.domain)?.minOpset ?? 0),
  );
  if (wanted > 16)
    throw new UnsupportedModelError(
      `a gradient rule needs opset ${wanted}; gradscope upgrades models to opset 16 at most (this one has ${opset})`,
    );
  if (wanted <= opset) return { nodes: graph.nodeProtos(), opset, initializers: [] };
  const up = upgradeToOpset16(graph, graph.nodeProtos());
  return { nodes: up.nodes, opset: 16, initializers: up.initializers };
}
