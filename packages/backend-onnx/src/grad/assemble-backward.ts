import { outputInfo, type OnnxGraph } from '../graph/onnx-graph.js';
import type { NodeProto } from '@gradscope/onnx-proto';
import type { Gradients } from './backpropagate.js';
import type { BackwardModel, BackwardRequest } from './backward-model.js';
import type { ForwardForRules } from './forward-for-rules.js';
import type { NodeEmitter } from './node-emitter.js';
import { dropDeadNodes, maskByMultiply } from './post-passes.js';
import type { LogitSeeds } from './seed-logits.js';

/** The pieces of a finished backward walk. */
export interface BackwardParts {
  readonly forward: ForwardForRules;
  readonly seeds: LogitSeeds;
  readonly emitter: NodeEmitter;
  readonly gradients: Gradients;
}

/**
 * The derived model: outputs the logits, the requested activations and gradients (zeros where no
 * gradient reaches a layer), then the post-passes — masks by multiplication when asked, and only
 * the emitted nodes and initializers that some output needs.
 */
export function assembleBackward(graph: OnnxGraph, req: BackwardRequest, parts: BackwardParts): BackwardModel {
  const { emitter, gradients: grads, forward } = parts;
  // via Identity so that output names never clash with inputs
  const out = (src: string, name: string) => {
    emitter.nodes.push({ opType: 'Identity', input: [src], output: [name], name: `${name}/identity` });
    return name;
  };
  const gradOrZeros = (t: string) => grads.of(t) ?? emitter.zerosLike(t);
  const activations = req.layers.map((l) => l);
  const gradients = req.gradients ? req.layers.map((l, k) => out(gradOrZeros(l), `gradscope/grad/${k}`)) : [];
  const inputGradient = req.inputGradient ? out(gradOrZeros(graph.inputName), 'gradscope/grad/input') : null;
  const outputs = [
    graph.outputName,
    ...new Set(activations.filter((a) => a !== graph.outputName)),
    ...gradients,
    ...(inputGradient ? [inputGradient] : []),
  ];
  let emitted: NodeProto[] = emitter.nodes;
  if (req.maskByMultiply)
    emitted = emitted.flatMap((n) => maskByMultiply(n, emitter.zeros, (base) => emitter.fresh(base)));
  const { nodes: backwardNodes, live } = dropDeadNodes(emitted, outputs, forward.nodes);
  const initializers = [...forward.initializers, ...emitter.initializers];
  const model = graph.derive({
    node: [...forward.nodes, ...backwardNodes],
    input: [...graph.model.graph!.input!.filter((x) => x.name === graph.inputName), parts.seeds.inputInfo],
    output: outputs.map(outputInfo),
    initializer: [...(graph.model.graph!.initializer ?? []), ...initializers.filter((t) => live.has(t.name!))],
    opset: forward.opset,
  });
  return {
    model,
    seed: parts.seeds.input,
    activations,
    gradients,
    inputGradient,
    stats: { backwardNodes: backwardNodes.length, opset: forward.opset, rulesUsed: [...grads.rulesUsed].sort() },
  };
}
