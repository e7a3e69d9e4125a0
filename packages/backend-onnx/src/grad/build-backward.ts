import { UnsupportedModelError, UnsupportedOperatorError, type ReluMode } from '@gradscope/core';
import { floatInput, outputInfo, type GraphNode, type OnnxGraph } from '../graph/onnx-graph.js';
import { upgradeToOpset16 } from '../graph/upgrade-opset.js';
import type { TensorFacts } from '../probe.js';
import { attribute, type AttrValue } from '../proto/attributes.js';
import { floatTensor, int64Tensor, type NodeProto, type TensorProto } from '../proto/onnx-proto.js';
import { argmaxHeadRows } from './argmax-head.js';
import { dropDeadNodes, maskByMultiply } from './post-passes.js';
import type { GradContext } from './grad-rule.js';
import type { GradRuleRegistry } from './grad-registry.js';

/** What the derived model must compute. */
export interface BackwardRequest {
  /** Tensors exposed as outputs (activations). */
  readonly layers: readonly string[];
  /** Also output d score / d layer for `layers`. */
  readonly gradients: boolean;
  readonly inputGradient: boolean;
  readonly reluMode: ReluMode;
  /**
   * Top-1 class targets: compute the seed in the graph as sign·onehot(argmax(logits)) (first
   * maximum, like core's `argmax`), with `sign` ([N, 1], ±1) as the graph input instead of the seed.
   * Saves the extra forward pass that resolving the class outside the graph would need.
   */
  readonly seedFromArgmax?: boolean;
  /**
   * Apply bool masks as `Mul(g, Cast(mask))` instead of `Where(mask, g, 0)` — measured faster on
   * onnxruntime-node (mobilenet_v2 guided backprop and saliency −8 to −9 %, resnet18 −2 to −3 %),
   * slower on onnxruntime-web (up to 2×), whose Where is fast.
   */
  readonly maskByMultiply?: boolean;
}

/** A forward+backward model and the names of what it outputs. */
export interface BackwardModel {
  readonly model: ReturnType<OnnxGraph['derive']>;
  /** The seed input ([N, K]), or with `seedFromArgmax` the sign input ([N, 1]). */
  readonly seed: string;
  readonly activations: readonly string[];
  readonly gradients: readonly string[];
  readonly inputGradient: string | null;
  readonly stats: { readonly backwardNodes: number; readonly opset: number; readonly rulesUsed: readonly string[] };
}

const HINT = (op: string) =>
  `it has no gradient rule: add one with backend.registerGradRule({ opType: '${op}', backward(ctx) { ... } }) (see the README, "Adding a gradient rule")`;

/** Tensors that need a gradient: float, downstream of a source and upstream of the logits. */
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

/**
 * Appends a backward pass built from ordinary ONNX operators: one `session.run` of the result
 * returns the logits, the requested activations, d score / d activation and d score / d input, where
 * score = Σ seed · logits and `seed` (d score / d logits, shape [N, K]) is a graph input. Only the
 * part of the backward pass that the request needs is emitted.
 */
export function buildBackward(
  graph: OnnxGraph,
  facts: ReadonlyMap<string, TensorFacts>,
  rules: GradRuleRegistry,
  req: BackwardRequest,
): BackwardModel {
  const sources = [...(req.gradients ? req.layers : []), ...(req.inputGradient ? [graph.inputName] : [])];
  const need = gradientPath(graph, facts, sources);
  let forward: NodeProto[] = graph.nodeProtos();
  let opset = graph.opset;
  const newInits: TensorProto[] = [];
  if (opset < 11)
    throw new UnsupportedModelError(`gradients need a model with opset ≥ 11 (this one has ${opset}); re-export it`);
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
  if (wanted > opset) {
    const up = upgradeToOpset16(graph, forward);
    forward = up.nodes;
    newInits.push(...up.initializers);
    opset = 16;
  }
  const newNodes: NodeProto[] = [];
  let uid = 0;
  const fresh = (base: string) => `gradscope/${base}/${uid++}`;
  const emit = (
    opType: string,
    inputs: readonly string[],
    outputs: number,
    attrs: Readonly<Record<string, AttrValue>> = {},
  ): string[] => {
    const outs = Array.from({ length: outputs }, () => fresh(opType));
    newNodes.push({
      opType,
      input: [...inputs],
      output: outs,
      name: fresh(`node/${opType}`),
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return outs;
  };
  /** Scalar float constants equal to 0 (what `Where(mask, g, 0)` reads). */
  const zeros = new Set<string>();
  const constFloat = (values: ArrayLike<number>, dims: readonly number[] = []) => {
    const name = fresh('const');
    newInits.push(floatTensor(name, dims, values));
    if (dims.length === 0 && values.length === 1 && values[0] === 0) zeros.add(name);
    return name;
  };
  const constInt64 = (values: readonly number[], dims: readonly number[] = [values.length]) => {
    const name = fresh('const');
    newInits.push(int64Tensor(name, dims, values));
    return name;
  };

  const pending = new Map<string, string[]>();
  const summed = new Map<string, string | null>();
  const push = (t: string, g: string) => {
    if (!need.has(t)) return;
    if (summed.has(t)) throw new Error(`internal: gradient of '${t}' was already summed`);
    const l = pending.get(t) ?? [];
    l.push(g);
    pending.set(t, l);
  };
  const total = (t: string): string | null => {
    if (summed.has(t)) return summed.get(t)!;
    const l = pending.get(t);
    const g = !l?.length ? null : l.length === 1 ? l[0]! : emit('Sum', l, 1)[0]!;
    summed.set(t, g);
    return g;
  };
  const zerosLike = (t: string) =>
    emit('ConstantOfShape', [emit('Shape', [t], 1)[0]!], 1, { value: floatTensor('value', [1], [0]) })[0]!;

  const logitsShape = facts.get(graph.outputName)?.shape ?? [];
  const seed = req.seedFromArgmax ? 'gradscope/sign' : 'gradscope/seed';
  let skip = -1;
  if (req.seedFromArgmax) {
    const K = logitsShape[1]!;
    const arg = emit('ArgMax', [graph.outputName], 1, { axis: 1, keepdims: 0 })[0]!;
    const head = req.layers.includes(graph.outputName) ? null : argmaxHeadRows(graph, facts);
    if (head && need.has(head.input)) {
      // sign · (row `arg` of the head's weight) is d score / d (head input): skip the head's rule
      const rows = typeof head.rows === 'string' ? head.rows : constFloat(head.rows.values, head.rows.dims);
      push(head.input, emit('Mul', [emit('Gather', [rows, arg], 1, { axis: 0 })[0]!, seed], 1)[0]!);
      skip = head.index;
    } else {
      const onehot = emit('OneHot', [arg, constInt64([K], []), constFloat([0, 1], [2])], 1, { axis: -1 })[0]!;
      push(graph.outputName, emit('Mul', [onehot, seed], 1)[0]!);
    }
  } else push(graph.outputName, seed);
  const used = new Set<string>();
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i]!;
    if (i === skip) continue;
    if (!node.outputs.some((o) => need.has(o)) || !node.inputs.some((x) => need.has(x))) continue;
    const gys = node.outputs.map((o) => (need.has(o) ? total(o) : null));
    if (gys.every((g) => g === null)) continue;
    const rule = rules.get(node.opType, node.domain);
    if (!rule) throw new UnsupportedOperatorError(node.opType, node.name, HINT(node.opType));
    used.add(node.opType);
    const ctx = makeContext(node, i);
    const gx = rule.backward(ctx);
    node.inputs.forEach((x, k) => {
      const g = gx[k];
      if (g && x && need.has(x)) push(x, g);
    });
  }

  function makeContext(node: GraphNode, index: number): GradContext {
    const ctx: GradContext = {
      node,
      opset,
      reluMode: req.reluMode,
      gradOutput: (k = 0) => (need.has(node.outputs[k] ?? '') ? total(node.outputs[k]!) : null),
      needsGradient: (k) => !!node.inputs[k] && need.has(node.inputs[k]!),
      shape: (t) => {
        const f = facts.get(t) ?? (graph.constant(t) ? { shape: graph.constant(t)!.dims } : undefined);
        if (!f) throw new UnsupportedOperatorError(node.opType, node.name, `the shape of '${t}' is unknown`);
        return f.shape;
      },
      constant: (t) => graph.constant(t),
      op: (op, inputs, attrs) => emit(op, inputs, 1, attrs)[0]!,
      ops: (op, inputs, n, attrs) => emit(op, inputs, n, attrs),
      constFloat,
      constInt64,
      forwardOutput: (k) => {
        const p = forward[index]!;
        const outs = [...(p.output ?? [])];
        while (outs.length <= k) outs.push('');
        if (!outs[k]) outs[k] = fresh(`${node.opType}/out${k}`);
        forward[index] = { ...p, output: outs };
        return outs[k]!;
      },
      reduceSum: (x, axes, keepdims) =>
        opset >= 13
          ? emit('ReduceSum', [x, constInt64(axes)], 1, { keepdims: keepdims ? 1 : 0 })[0]!
          : emit('ReduceSum', [x], 1, { axes: [...axes], keepdims: keepdims ? 1 : 0 })[0]!,
      unsqueeze: (x, axes) =>
        opset >= 13
          ? emit('Unsqueeze', [x, constInt64(axes)], 1)[0]!
          : emit('Unsqueeze', [x], 1, { axes: [...axes] })[0]!,
      unbroadcast: (g, from, to) => {
        if (from.length === to.length && from.every((d, k) => d === to[k])) return g;
        const lead = from.length - to.length;
        const axes: number[] = [];
        for (let k = 0; k < from.length; k++) if (k < lead || (to[k - lead] === 1 && from[k] !== 1)) axes.push(k);
        let r = axes.length ? ctx.reduceSum(g, axes, true) : g;
        if (lead > 0) r = emit('Reshape', [r, constInt64([...to])], 1)[0]!;
        return r;
      },
      zerosLike,
      unsupported: (reason) => {
        throw new UnsupportedOperatorError(
          node.opType,
          node.name,
          `the rule for ${node.opType} cannot handle this node: ${reason}`,
        );
      },
    };
    return ctx;
  }

  // Outputs: logits, activations, gradients (via Identity so that names never clash with inputs).
  const out = (src: string, name: string) => {
    newNodes.push({ opType: 'Identity', input: [src], output: [name], name: `${name}/identity` });
    return name;
  };
  const activations = req.layers.map((l) => l);
  const gradients = req.gradients ? req.layers.map((l, k) => out(total(l) ?? zerosLike(l), `gradscope/grad/${k}`)) : [];
  const inputGradient = req.inputGradient
    ? out(total(graph.inputName) ?? zerosLike(graph.inputName), 'gradscope/grad/input')
    : null;
  const outputs = [
    graph.outputName,
    ...new Set(activations.filter((a) => a !== graph.outputName)),
    ...gradients,
    ...(inputGradient ? [inputGradient] : []),
  ];
  if (req.maskByMultiply)
    newNodes.splice(0, newNodes.length, ...newNodes.flatMap((n) => maskByMultiply(n, zeros, fresh)));
  const { nodes: backwardNodes, live } = dropDeadNodes(newNodes, outputs, forward);
  const model = graph.derive({
    node: [...forward, ...backwardNodes],
    input: [
      ...graph.model.graph!.input!.filter((x) => x.name === graph.inputName),
      floatInput(seed, ['N', req.seedFromArgmax ? 1 : logitsShape[1]!]),
    ],
    output: outputs.map(outputInfo),
    initializer: [...(graph.model.graph!.initializer ?? []), ...newInits.filter((t) => live.has(t.name!))],
    opset,
  });
  return {
    model,
    seed,
    activations,
    gradients,
    inputGradient,
    stats: { backwardNodes: backwardNodes.length, opset, rulesUsed: [...used].sort() },
  };
}
