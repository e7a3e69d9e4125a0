/** Layer names a Keras `inbound_nodes` entry refers to (Keras 2 `[name, node, tensor, …]` and Keras 3 `keras_history`). */
function inboundNames(j: unknown, out: string[] = []): string[] {
  if (Array.isArray(j)) {
    if (typeof j[0] === 'string' && typeof j[1] === 'number') out.push(j[0]);
    else for (const x of j) inboundNames(x, out);
  } else if (j && typeof j === 'object') for (const v of Object.values(j)) inboundNames(v, out);
  return out;
}

/**
 * The name of a layer on a cycle of a functional Keras topology (its own or a nested model's), or
 * null: tfjs would loop forever building such a graph, so the loader refuses it first.
 */
export function findLayerCycle(topology: unknown): string | null {
  const config = (topology as { config?: { layers?: unknown } } | null)?.config;
  const layers = Array.isArray(config?.layers)
    ? (config.layers as { name?: unknown; inbound_nodes?: unknown; config?: unknown }[])
    : [];
  const deps = new Map<string, string[]>();
  for (const l of layers) {
    if (typeof l?.name !== 'string') continue;
    deps.set(l.name, inboundNames(l.inbound_nodes));
    const nested = findLayerCycle(l);
    if (nested) return `${l.name}/${nested}`;
  }
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
    if (c) return c;
  }
  return null;
}
