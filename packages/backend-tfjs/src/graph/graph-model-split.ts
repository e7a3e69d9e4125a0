/** A node of a tfjs-converter GraphDef (model.json `modelTopology.node`). */
export interface GraphDefNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, { s?: string; list?: { s?: string[] }; [k: string]: unknown }>;
  [k: string]: unknown;
}

/** Suffix of the nodes {@link splitFusedNodes} adds (hidden from the layer list). */
export const SPLIT_SUFFIX = '/gradscope_split';

const BASE_OP: Record<string, string> = {
  _FusedConv2D: 'Conv2D',
  FusedDepthwiseConv2dNative: 'DepthwiseConv2dNative',
  _FusedDepthwiseConv2dNative: 'DepthwiseConv2dNative',
  _FusedMatMul: 'MatMul',
};
const ACTIVATIONS = new Set(['Relu', 'Relu6', 'Elu', 'Sigmoid', 'Tanh']);
const FUSED_ONLY = new Set(['fused_ops', 'num_args', 'epsilon', 'leakyrelu_alpha', 'num_host_args']);

const decode = (s: string) => (typeof atob === 'function' ? atob(s) : s);

/**
 * Splits the converter's fused nodes (`_FusedConv2D`, fused depthwise, `_FusedMatMul` with
 * `BiasAdd` and an optional Relu/Relu6/Elu/Sigmoid/Tanh) into base op → `BiasAdd` → activation,
 * keeping the original name on the last node. Under a gradient tape, tfjs runs a fused conv whose
 * activation is linear through a custom gradient that computes the filter gradient eagerly (no
 * such kernel on wasm); the split ops use the registry gradients, which gradscope overrides.
 */
export function splitFusedNodes(nodes: readonly GraphDefNode[]): GraphDefNode[] {
  const out: GraphDefNode[] = [];
  for (const n of nodes) {
    const base = BASE_OP[n.op];
    const ops = (n.attr?.['fused_ops']?.list?.s ?? []).map(decode);
    const data = (n.input ?? []).filter((i) => !i.startsWith('^'));
    const control = (n.input ?? []).filter((i) => i.startsWith('^'));
    const act = ops[1];
    if (
      !base ||
      ops[0] !== 'BiasAdd' ||
      ops.length > 2 ||
      (act !== undefined && !ACTIVATIONS.has(act)) ||
      data.length !== 3
    ) {
      out.push(n);
      continue;
    }
    const attr = Object.fromEntries(Object.entries(n.attr ?? {}).filter(([k]) => !FUSED_ONLY.has(k)));
    const t: NonNullable<GraphDefNode['attr']> = n.attr?.['T'] ? { T: n.attr['T'] } : {};
    const core = `${n.name}${SPLIT_SUFFIX}/${base}`;
    const bias = act ? `${n.name}${SPLIT_SUFFIX}/BiasAdd` : n.name;
    out.push({ name: core, op: base, input: [data[0]!, data[1]!, ...control], attr });
    out.push({ name: bias, op: 'BiasAdd', input: [core, data[2]!], attr: { ...t } });
    if (act) out.push({ name: n.name, op: act, input: [bias], attr: { ...t } });
  }
  return out;
}
