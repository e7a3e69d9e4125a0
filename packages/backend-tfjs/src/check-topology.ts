type LayerJson = { name?: unknown; inbound_nodes?: unknown; config?: unknown };

/** Layer names a Keras `inbound_nodes` entry refers to (Keras 2 `[name, node, tensor, …]` and Keras 3 `keras_history`). */
function inboundNames(j: unknown, out: string[] = []): string[] {
  if (Array.isArray(j)) {
    if (typeof j[0] === 'string' && typeof j[1] === 'number') out.push(j[0]);
    else for (const x of j) inboundNames(x, out);
  } else if (j && typeof j === 'object') for (const v of Object.values(j)) inboundNames(v, out);
  return out;
}

/** Nodes a layer may have: one per inbound node, plus the creation node of inputs and nested models. */
const count = (l: LayerJson | undefined) => 1 + (Array.isArray(l?.inbound_nodes) ? l.inbound_nodes.length : 0);

/**
 * What is wrong with a Keras-2 style reference `[layer, nodeIndex, tensorIndex, …]` to a layer of
 * `byName`, or null: tfjs waits forever for a node that a bad reference names.
 */
function badRef(ref: unknown, byName: ReadonlyMap<string, LayerJson>): string | null {
  if (!Array.isArray(ref) || typeof ref[0] !== 'string')
    return `a reference ${JSON.stringify(ref)?.slice(0, 40)} is not [layer, node, tensor]`;
  const target = byName.get(ref[0]);
  if (!target) return `a reference names the unknown layer '${ref[0]}'`;
  const [node, tensor] = [ref[1], ref[2]];
  if (!Number.isInteger(node) || (node as number) < 0 || (node as number) >= count(target))
    return `a reference to layer '${ref[0]}' has node index ${JSON.stringify(node)}`;
  if (!Number.isInteger(tensor) || (tensor as number) < 0 || (tensor as number) > 64)
    return `a reference to layer '${ref[0]}' has tensor index ${JSON.stringify(tensor)}`;
  return null;
}

/** The problem with Keras-2 style inbound nodes, input_layers and output_layers, or null (other formats are left to tfjs). */
function badReferences(config: Record<string, unknown>, layers: LayerJson[]): string | null {
  const byName = new Map(layers.flatMap((l) => (typeof l?.name === 'string' ? [[l.name, l] as const] : [])));
  for (const l of layers) {
    const nodes = l?.inbound_nodes;
    if (!Array.isArray(nodes) || !nodes.every(Array.isArray)) continue;
    for (const node of nodes as unknown[][])
      for (const ref of node) {
        if (ref && typeof ref === 'object' && !Array.isArray(ref)) continue; // Keras 3 style
        const bad = badRef(ref, byName);
        if (bad) return `layer '${String(l.name)}': ${bad}`;
      }
  }
  for (const key of ['input_layers', 'output_layers']) {
    const refs = config[key];
    if (refs === undefined) continue;
    if (!Array.isArray(refs)) return `${key} is not a list`;
    for (const ref of refs) {
      const bad = badRef(ref, byName);
      if (bad) return `${key}: ${bad}`;
    }
  }
  return null;
}

/**
 * What makes a functional Keras topology (its own or a nested model's) unbuildable — a reference to
 * a missing layer or node, or a cycle — or null. tfjs would loop forever building such a graph, so
 * the loader refuses it first.
 */
export function checkTopology(topology: unknown): string | null {
  const config = (topology as { config?: Record<string, unknown> } | null)?.config;
  const layers = Array.isArray(config?.['layers']) ? (config['layers'] as LayerJson[]) : [];
  const deps = new Map<string, string[]>();
  for (const l of layers) {
    if (typeof l?.name !== 'string') continue;
    deps.set(l.name, inboundNames(l.inbound_nodes));
    const nested = checkTopology(l);
    if (nested) return `in layer '${l.name}': ${nested}`;
  }
  const refs = config && badReferences(config, layers);
  if (refs) return refs;
  const state = new Map<string, 1 | 2>(); // 1 = on the current path, 2 = done
  const visit = (n: string): string | null => {
    const s = state.get(n);
    if (s === 1) return n;
    if (s === 2 || !deps.has(n)) return null;
    state.set(n, 1);
    for (const d of deps.get(n)!) {
      const c = visit(d);
      if (c) return c;
    }
    state.set(n, 2);
    return null;
  };
  for (const n of deps.keys()) {
    const c = visit(n);
    if (c) return `the layer graph has a cycle through layer '${c}'`;
  }
  return null;
}
