import { UnsupportedOperatorError, type ReluMode } from '@gradscope/core';
import type { GraphNode, OnnxGraph } from '../graph/onnx-graph.js';
import type { TensorFacts } from '../probe.js';
import type { NodeProto } from '@gradscope/onnx-proto';
import type { GradContext } from './grad-rule.js';
import type { NodeEmitter } from './node-emitter.js';

/** What every rule's context shares within one backward build. */
export interface ContextScope {
  readonly graph: OnnxGraph;
  readonly facts: ReadonlyMap<string, TensorFacts>;
  readonly need: ReadonlySet<string>;
  readonly emitter: NodeEmitter;
  readonly opset: number;
  readonly reluMode: ReluMode;
  readonly rectifiers: 'all' | 'relu';
  /** The forward node protos; `forwardOutput` replaces a node here to add an output. */
  readonly forward: NodeProto[];
}

/** The GradContext for `node` (at `index` in `scope.forward`); `gradOf` reads summed gradients. */
export function gradContext(
  scope: ContextScope,
  node: GraphNode,
  index: number,
  gradOf: (tensor: string) => string | null,
): GradContext {
  const { graph, facts, need, emitter: e, opset } = scope;
  const ctx: GradContext = {
    node,
    opset,
    reluMode: scope.reluMode,
    rectifiers: scope.rectifiers,
    gradOutput: (k = 0) => (need.has(node.outputs[k] ?? '') ? gradOf(node.outputs[k]!) : null),
    needsGradient: (k) => !!node.inputs[k] && need.has(node.inputs[k]!),
    shape: (t) => {
      const shape = facts.get(t)?.shape ?? graph.constantDims(t);
      if (!shape) throw new UnsupportedOperatorError(node.opType, node.name, `the shape of '${t}' is unknown`);
      return shape;
    },
    constant: (t) => graph.constant(t),
    op: (op, inputs, attrs) => e.op(op, inputs, attrs),
    ops: (op, inputs, n, attrs) => e.emit(op, inputs, n, attrs),
    constFloat: (values, dims) => e.constFloat(values, dims),
    constInt64: (values, dims) => e.constInt64(values, dims),
    forwardOutput: (k) => addForwardOutput(scope, index, k, node.opType),
    reduceSum: (x, axes, keepdims) =>
      opset >= 13
        ? e.op('ReduceSum', [x, e.constInt64(axes)], { keepdims: keepdims ? 1 : 0 })
        : e.op('ReduceSum', [x], { axes: [...axes], keepdims: keepdims ? 1 : 0 }),
    unsqueeze: (x, axes) =>
      opset >= 13 ? e.op('Unsqueeze', [x, e.constInt64(axes)]) : e.op('Unsqueeze', [x], { axes: [...axes] }),
    unbroadcast: (g, from, to) => {
      if (from.length === to.length && from.every((d, k) => d === to[k])) return g;
      const lead = from.length - to.length;
      const axes: number[] = [];
      for (let k = 0; k < from.length; k++) if (k < lead || (to[k - lead] === 1 && from[k] !== 1)) axes.push(k);
      let r = axes.length ? ctx.reduceSum(g, axes, true) : g;
      if (lead > 0) r = e.op('Reshape', [r, e.constInt64([...to])]);
      return r;
    },
    zerosLike: (t) => e.zerosLike(t),
    unsupported: (reason) => {
      // a node of an opset 7–10 model is reported as the model has it: operator, name and opset
      const was = graph.rewrittenFrom.get(node.name);
      throw new UnsupportedOperatorError(
        was ? was.replace(/^opset-\d+ /, '') : node.opType,
        node.name,
        `the rule for ${node.opType} cannot handle this node${was ? ` (an ${was} rewritten as opset-${opset} ${node.opType})` : ''}: ${reason}`,
      );
    },
  };
  return ctx;
}

/** Makes forward node `index` produce its output `k` (e.g. MaxPool's Indices) and returns its name. */
function addForwardOutput(scope: ContextScope, index: number, k: number, opType: string): string {
  const p = scope.forward[index]!;
  const outs = [...(p.output ?? [])];
  while (outs.length <= k) outs.push('');
  if (!outs[k]) outs[k] = scope.emitter.fresh(`${opType}/out${k}`);
  scope.forward[index] = { ...p, output: outs };
  return outs[k]!;
}
