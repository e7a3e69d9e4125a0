import type { OnnxGraph } from '../graph/onnx-graph.js';
import type { TensorFacts } from '../probe.js';
import { assembleBackward } from './assemble-backward.js';
import type { BackwardModel, BackwardRequest } from './backward-model.js';
import { backpropagate } from './backpropagate.js';
import { forwardForRules } from './forward-for-rules.js';
import { gradientGraph } from '../graph/gradient-graph.js';
import { gradContext } from './grad-context.js';
import type { GradRuleRegistry } from './grad-registry.js';
import { gradientPath } from './gradient-path.js';
import { NodeEmitter } from './node-emitter.js';
import { seedLogits } from './seed-logits.js';

/**
 * Appends a backward pass built from ordinary ONNX operators: one `session.run` of the result
 * returns the logits, the requested activations, d score / d activation and d score / d input, where
 * score = Σ seed · logits and `seed` (d score / d logits, shape [N, K]) is a graph input. Only the
 * part of the backward pass that the request needs is emitted.
 *
 * An opset 7–10 model is differentiated in its opset-11 form (`gradientGraph`).
 * Steps: the gradient path (`gradientPath`), the forward nodes at the opset the rules need
 * (`forwardForRules`), the seeds (`seedLogits`), the walk that calls the rules (`backpropagate`),
 * then outputs and post-passes (`assembleBackward`).
 */
export function buildBackward(
  model: OnnxGraph,
  facts: ReadonlyMap<string, TensorFacts>,
  rules: GradRuleRegistry,
  req: BackwardRequest,
): BackwardModel {
  const graph = gradientGraph(model);
  const sources = [...(req.gradients ? req.layers : []), ...(req.inputGradient ? [graph.inputName] : [])];
  const need = gradientPath(graph, facts, sources);
  const forward = forwardForRules(graph, need, rules);
  const emitter = new NodeEmitter();
  const seeds = seedLogits(graph, facts, need, emitter, req);
  const rectifiers = req.rectifiers ?? 'all';
  const scope = {
    graph,
    facts,
    need,
    emitter,
    opset: forward.opset,
    reluMode: req.reluMode,
    rectifiers,
    forward: forward.nodes,
  };
  const gradients = backpropagate(graph.nodes, need, seeds.seeds, {
    rules,
    sum: (grads) => emitter.op('Sum', grads),
    context: (node, index, gradOf) => gradContext(scope, node, index, gradOf),
  });
  return assembleBackward(graph, req, { forward, seeds, emitter, gradients });
}
