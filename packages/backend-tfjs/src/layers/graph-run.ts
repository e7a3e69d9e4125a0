import type * as tf from '@tensorflow/tfjs';
import type { FlatGraph, FlatNode } from './flat-graph.js';

/** Computes a node's outputs from its inputs. */
export type ApplyNode = (node: FlatNode, inputs: tf.Tensor[]) => tf.Tensor[];

/** Stock inference application: `layer.apply(inputs, { training: false })`. */
export const applyInference: ApplyNode = (node, inputs) => {
  const out = node.layer.apply(inputs.length === 1 ? inputs[0]! : inputs, { ...node.callArgs, training: false });
  return Array.isArray(out) ? out : [out];
};

/**
 * Pull-based evaluation of a {@link FlatGraph}: `value(key)` computes only what `key` depends on,
 * memoised in `memo`. Seeding `memo` with a tensor for a layer's key replaces that layer's output
 * (everything upstream of it that nothing else needs is skipped). `onValue` may wrap each computed
 * tensor (e.g. with a gradient tap) before it is stored. Call inside `tf.tidy`.
 */
export class GraphRun {
  constructor(
    private readonly g: FlatGraph,
    private readonly apply: ApplyNode,
    readonly memo: Map<string, tf.Tensor> = new Map(),
    private readonly onValue?: (key: string, t: tf.Tensor) => tf.Tensor,
  ) {}

  value(key: string): tf.Tensor {
    const known = this.memo.get(key);
    if (known) return known;
    const node = this.g.producer.get(key);
    if (!node) throw new Error(`no value for graph tensor '${key}'`);
    const ins = node.inputs.map((k) => this.value(k));
    const outs = this.apply(node, ins);
    node.outputs.forEach((k, i) => this.memo.set(k, this.onValue ? this.onValue(k, outs[i]!) : outs[i]!));
    return this.memo.get(key)!;
  }

  /**
   * Computes `keys` without a gradient tape, disposing each intermediate tensor as soon as its last
   * consumer has run (peak memory like a stock predict). Tensors seeded in `memo`, the results and
   * the keys in `hold` stay in `memo`.
   */
  compute(keys: readonly string[], hold: ReadonlySet<string> = new Set()): void {
    const seeded = new Set(this.memo.keys());
    const order: FlatNode[] = [];
    const seen = new Set<FlatNode>();
    const visit = (k: string) => {
      if (seeded.has(k)) return;
      const n = this.g.producer.get(k);
      if (!n || seen.has(n)) return;
      seen.add(n);
      for (const i of n.inputs) visit(i);
      order.push(n);
    };
    keys.forEach(visit);
    const uses = new Map<string, number>();
    for (const n of order) for (const i of n.inputs) uses.set(i, (uses.get(i) ?? 0) + 1);
    const pinned = new Set([...seeded].map((k) => this.memo.get(k)!));
    const keep = (k: string) => seeded.has(k) || hold.has(k) || keys.includes(k);
    const release = (k: string) => {
      const t = this.memo.get(k);
      this.memo.delete(k);
      // a layer may return its input unchanged: dispose only tensors no other key still holds
      if (t && !pinned.has(t) && ![...this.memo.values()].includes(t)) t.dispose();
    };
    for (const n of order) {
      const outs = this.apply(
        n,
        n.inputs.map((k) => this.memo.get(k)!),
      );
      n.outputs.forEach((k, i) => this.memo.set(k, outs[i]!));
      for (const k of n.outputs) if (!keep(k) && !uses.get(k)) release(k);
      for (const k of n.inputs) {
        const u = uses.get(k)! - 1;
        uses.set(k, u);
        if (u === 0 && !keep(k)) release(k);
      }
    }
  }
}
