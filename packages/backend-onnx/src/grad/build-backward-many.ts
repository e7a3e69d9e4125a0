import type { ReluMode } from '@gradscope/core';
import type { NodeProto, ValueInfoProto } from '@gradscope/onnx-proto';
import { gradientGraph } from '../graph/gradient-graph.js';
import { outputInfo, type OnnxGraph } from '../graph/onnx-graph.js';
import type { TensorFacts } from '../probe.js';
import { backpropagate } from './backpropagate.js';
import { sharingConvWeights } from './conv-transpose-weight.js';
import { forwardForRules } from './forward-for-rules.js';
import { gradContext } from './grad-context.js';
import type { GradRuleRegistry } from './grad-registry.js';
import { gradientPath } from './gradient-path.js';
import { NodeEmitter } from './node-emitter.js';
import { dropDeadNodes, maskByMultiply } from './post-passes.js';
import { seedLogits } from './seed-logits.js';

/** One backward branch: a seed (its own graph input) walked back under one ReLU mode. */
export interface BranchRequest {
  /** Tensors whose gradient this branch outputs. */
  readonly gradients: readonly string[];
  readonly inputGradient: boolean;
  readonly reluMode: ReluMode;
  /** `relu`: the mode applies to ReLU nodes only (see `BackwardRequest.rectifiers`). */
  readonly rectifiers?: 'all' | 'relu';
  /** The seed is sign·onehot(argmax(logits)) computed in the graph (see `BackwardRequest.seedFromArgmax`). */
  readonly seedFromArgmax: boolean;
}

/** What a forward with several backward branches computes. */
export interface ManyBackwardRequest {
  /** Tensors exposed as outputs (activations), shared by every branch. */
  readonly activations: readonly string[];
  readonly branches: readonly BranchRequest[];
  readonly maskByMultiply?: boolean;
}

/** The derived model, and per branch its seed input and the names of its gradient outputs. */
export interface ManyBackwardModel {
  readonly model: ReturnType<OnnxGraph['derive']>;
  readonly branches: readonly {
    readonly seed: string;
    readonly gradients: readonly string[];
    readonly inputGradient: string | null;
  }[];
}

/**
 * ONE forward followed by one backward branch per request branch, in one graph: each branch has its
 * own seed input (`gradscope/seed/<k>`, or `gradscope/sign/<k>` with `seedFromArgmax`) and its own
 * ReLU mode, and reads the forward's tensors like `buildBackward`'s single branch does; the outputs
 * are the logits, the activations and every branch's gradients (`gradscope/grad/<k>/<j>`,
 * `gradscope/grad/<k>/input`). The forward is upgraded to the opset that any branch's rules need
 * (an opset 7–10 model to its opset-11 form first, `gradientGraph`).
 */
export function buildBackwardMany(
  graph: OnnxGraph,
  facts: ReadonlyMap<string, TensorFacts>,
  rules: GradRuleRegistry,
  req: ManyBackwardRequest,
): ManyBackwardModel {
  return sharingConvWeights(() => build(gradientGraph(graph), facts, rules, req));
}

function build(
  graph: OnnxGraph,
  facts: ReadonlyMap<string, TensorFacts>,
  rules: GradRuleRegistry,
  req: ManyBackwardRequest,
): ManyBackwardModel {
  const needs = req.branches.map((b) =>
    gradientPath(graph, facts, [...b.gradients, ...(b.inputGradient ? [graph.inputName] : [])]),
  );
  const forward = forwardForRules(graph, new Set(needs.flatMap((n) => [...n])), rules);
  // every branch of a conv reads the same flipped weight: emit it once
  const emitter = new NodeEmitter({ shareConstants: true });
  const out = (src: string, name: string) => {
    emitter.nodes.push({ opType: 'Identity', input: [src], output: [name], name: `${name}/identity` });
    return name;
  };
  const seedInputs: ValueInfoProto[] = [];
  const branches = req.branches.map((b, k) => {
    const need = needs[k]!;
    const seedInput = `gradscope/${b.seedFromArgmax ? 'sign' : 'seed'}/${k}`;
    const layers = [...req.activations, ...b.gradients];
    const seeds = seedLogits(graph, facts, need, emitter, { layers, seedFromArgmax: b.seedFromArgmax, seedInput });
    seedInputs.push(seeds.inputInfo);
    const rectifiers = b.rectifiers ?? 'all';
    const scope = {
      graph,
      facts,
      need,
      emitter,
      opset: forward.opset,
      reluMode: b.reluMode,
      rectifiers,
      forward: forward.nodes,
    };
    const grads = backpropagate(graph.nodes, need, seeds.seeds, {
      rules,
      sum: (g) => emitter.op('Sum', g),
      context: (node, index, gradOf) => gradContext(scope, node, index, gradOf),
    });
    const gradOrZeros = (t: string) => grads.of(t) ?? emitter.zerosLike(t);
    return {
      seed: seeds.input,
      gradients: b.gradients.map((t, j) => out(gradOrZeros(t), `gradscope/grad/${k}/${j}`)),
      inputGradient: b.inputGradient ? out(gradOrZeros(graph.inputName), `gradscope/grad/${k}/input`) : null,
    };
  });
  const outputs = [
    graph.outputName,
    ...new Set(req.activations.filter((a) => a !== graph.outputName)),
    ...branches.flatMap((b) => [...b.gradients, ...(b.inputGradient ? [b.inputGradient] : [])]),
  ];
  let emitted: NodeProto[] = emitter.nodes;
  if (req.maskByMultiply)
    emitted = emitted.flatMap((n) => maskByMultiply(n, emitter.zeros, (base) => emitter.fresh(base)));
  const { nodes, live } = dropDeadNodes(emitted, outputs, forward.nodes);
  const initializers = [...forward.initializers, ...emitter.initializers];
  const model = graph.derive({
    node: [...forward.nodes, ...nodes],
    input: [...graph.model.graph!.input!.filter((x) => x.name === graph.inputName), ...seedInputs],
    output: outputs.map(outputInfo),
    initializer: [...(graph.model.graph!.initializer ?? []), ...initializers.filter((t) => live.has(t.name!))],
    opset: forward.opset,
  });
  return { model, branches };
}
