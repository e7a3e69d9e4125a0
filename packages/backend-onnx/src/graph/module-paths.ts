/**
 * The PyTorch module paths a node name carries. torch.onnx names nodes after the module scopes, e.g.
 * `/layer4/layer4.1/relu_1/Relu` → `layer4`, `layer4.1`, `layer4.1.relu_1`; the last segment is the
 * operator. torch prefixes a Sequential's child with the previous SEGMENT, not the full path:
 * `/layer2/layer2.0/downsample/downsample.0/Conv` → `layer2`, `layer2.0`, `layer2.0.downsample`,
 * `layer2.0.downsample.0`.
 */
export function modulePaths(nodeName: string): string[] {
  if (!nodeName.startsWith('/')) return [];
  const segs = nodeName.split('/').slice(1, -1).filter(Boolean);
  const out: string[] = [];
  let cur = '';
  let prev = '';
  for (const s of segs) {
    cur = !cur ? s : s.startsWith(`${prev}.`) ? cur + s.slice(prev.length) : `${cur}.${s}`;
    prev = s;
    out.push(cur);
  }
  return out;
}

/**
 * Maps each module path to the tensor the module outputs: the last float tensor, in graph order,
 * produced by a node under that path. `isCandidate` filters the tensors that may be chosen.
 */
export function moduleOutputs(
  nodes: readonly { name: string; outputs: readonly string[] }[],
  isCandidate: (tensor: string) => boolean,
): Map<string, string> {
  const map = new Map<string, string>();
  for (const n of nodes) {
    const t = n.outputs.find((o) => o && isCandidate(o));
    if (!t) continue;
    for (const p of modulePaths(n.name)) map.set(p, t);
  }
  return map;
}
