import { UnsupportedOperatorError } from '@gradscope/core';
import type { GraphNode } from '../graph/onnx-graph.js';
import type { GradRuleRegistry } from './grad-registry.js';
import type { GradContext } from './grad-rule.js';

/** What the walk needs besides the nodes: the rules, how to sum gradients, the rules' context. */
export interface BackpropOptions {
  readonly rules: GradRuleRegistry;
  /** Emits the sum of several gradients of one tensor and returns its name. */
  readonly sum: (grads: readonly string[]) => string;
  /** The context a rule sees for `node` (at `index` in the walked list); `gradOf` reads summed gradients. */
  readonly context: (node: GraphNode, index: number, gradOf: (tensor: string) => string | null) => GradContext;
}

/** The result of a walk: the gradient of each tensor, and the op types whose rules ran. */
export interface Gradients {
  /** The summed gradient of `tensor` (its Sum is emitted on first read), null when none reached it. */
  of(tensor: string): string | null;
  readonly rulesUsed: ReadonlySet<string>;
}

const HINT = (op: string) =>
  `it has no gradient rule: add one with backend.registerGradRule({ opType: '${op}', backward(ctx) { ... } }) (see the README, "Adding a gradient rule")`;

/**
 * Reverse-mode differentiation over `nodes` (topologically ordered): starting from `seeds`
 * (tensor → the name of its gradient), visits the nodes in reverse, and for each node on the
 * gradient path (`need`, see `gradientPath`) that some gradient reaches, calls its registered rule
 * and adds what the rule returns to the gradients of the node's inputs. Gradients of one tensor
 * are summed when first read, by which time every consumer has added to them.
 *
 * The walk knows nothing of forward models, so a Hessian-vector product (e.g. for ShapleyCAM) is
 * the same call on the generated backward graph: with `nodes` = the forward protos followed by the
 * emitted backward ones (each as `graphNode(proto, index)`), g the emitted gradient d score / d x
 * and v a new graph input, `backpropagate(nodes, tensorsBetween(nodes, [x], g, isFloat),
 * new Map([[g, v]]), options).of(x)` is H·v = d⟨g, v⟩ / d x — given rules for the operators the
 * backward graph uses (Where, ConvTranspose, ScatterElements, …).
 */
export function backpropagate(
  nodes: readonly GraphNode[],
  need: ReadonlySet<string>,
  seeds: ReadonlyMap<string, string>,
  options: BackpropOptions,
): Gradients {
  const sums = gradientSums(need, options.sum);
  for (const [t, g] of seeds) sums.add(t, g);
  const used = new Set<string>();
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    if (!node.outputs.some((o) => need.has(o)) || !node.inputs.some((x) => need.has(x))) continue;
    const gys = node.outputs.map((o) => (need.has(o) ? sums.total(o) : null));
    if (gys.every((g) => g === null)) continue;
    const rule = options.rules.get(node.opType, node.domain);
    if (!rule) throw new UnsupportedOperatorError(node.opType, node.name, HINT(node.opType));
    used.add(node.opType);
    const gx = rule.backward(options.context(node, i, sums.total));
    node.inputs.forEach((x, k) => {
      const g = gx[k];
      if (g && x && need.has(x)) sums.add(x, g);
    });
  }
  return { of: sums.total, rulesUsed: used };
}

/** Per-tensor gradient lists, summed (once) when first read. */
function gradientSums(need: ReadonlySet<string>, sum: (grads: readonly string[]) => string) {
  const pending = new Map<string, string[]>();
  const summed = new Map<string, string | null>();
  const add = (t: string, g: string) => {
    if (!need.has(t)) return;
    if (summed.has(t)) throw new Error(`internal: gradient of '${t}' was already summed`);
    const l = pending.get(t) ?? [];
    l.push(g);
    pending.set(t, l);
  };
  const total = (t: string): string | null => {
    if (summed.has(t)) return summed.get(t)!;
    const l = pending.get(t);
    const g = !l?.length ? null : l.length === 1 ? l[0]! : sum(l);
    summed.set(t, g);
    return g;
  };
  return { add, total };
}
