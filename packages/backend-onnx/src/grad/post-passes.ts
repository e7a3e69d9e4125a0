import { attribute, type NodeProto } from '@gradscope/onnx-proto';

/**
 * `Where(mask, g, 0)` → `Mul(g, Cast(mask))` for a `Where` whose third input is one of `zeros`
 * (scalar float 0 constants); other nodes are returned unchanged. See `maskByMultiply` in
 * BackwardRequest: onnxruntime-node's Where is slow, its Mul fast. (Differs from Where only for a
 * non-finite g where the mask is false, and in the sign of a zero.)
 */
export function maskByMultiply(n: NodeProto, zeros: ReadonlySet<string>, fresh: (base: string) => string): NodeProto[] {
  const [mask, g, z] = n.input ?? [];
  if (n.opType !== 'Where' || !mask || !g || !z || !zeros.has(z)) return [n];
  const m = fresh('Cast');
  return [
    { opType: 'Cast', input: [mask], output: [m], name: fresh('node/Cast'), attribute: [attribute('to', 1)] },
    { opType: 'Mul', input: [g, m], output: [...(n.output ?? [])], name: fresh('node/Mul'), attribute: [] },
  ];
}

/**
 * The emitted backward nodes that some graph output depends on, in order: a rule may emit more
 * than the ReLU mode or the request uses, and onnxruntime runs unused nodes anyway. `live` holds
 * every tensor read by a kept node or by the `forward` nodes, so initializers outside it can be dropped.
 */
export function dropDeadNodes(
  emitted: readonly NodeProto[],
  outputs: readonly string[],
  forward: readonly NodeProto[],
): { nodes: NodeProto[]; live: ReadonlySet<string> } {
  const live = new Set(outputs);
  const keep = new Array<boolean>(emitted.length).fill(false);
  for (let i = emitted.length - 1; i >= 0; i--) {
    const n = emitted[i]!;
    if (!(n.output ?? []).some((o) => live.has(o))) continue;
    keep[i] = true;
    for (const x of n.input ?? []) live.add(x);
  }
  for (const n of forward) for (const x of n.input ?? []) live.add(x);
  return { nodes: emitted.filter((_, i) => keep[i]), live };
}
