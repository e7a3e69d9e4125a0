import { UnsupportedOperatorError } from '@gradscope/core';
import {
  Attributes,
  attribute,
  floatTensor,
  int64Tensor,
  type NodeProto,
  type TensorProto,
} from '@gradscope/onnx-proto';

/** The opset the gradient graph of an opset 7–10 model is written in. */
export const NORMALIZED_OPSET = 11;

/** Operators of opsets 7–10 that later opsets removed or redefined and that gradscope does not rewrite. */
const NO_OPSET11_FORM: Record<string, string> = {
  TopK: 'its k attribute became an input at opset 10',
  Crop: 'it was removed at opset 10',
  Affine: 'it was removed at opset 10',
  ParametricSoftplus: 'it was removed at opset 10',
  ScaledTanh: 'it was removed at opset 10',
  GivenTensorFill: 'it was removed at opset 10',
  ConstantFill: 'it was removed at opset 10',
  GRUUnit: 'it was removed at opset 10',
  DynamicSlice: 'it was removed at opset 11',
};

/** The result of {@link normalizeToOpset11}. */
export interface NormalizedNodes {
  readonly nodes: NodeProto[];
  /** Initializers that hold former attributes (Slice starts/ends, Pad pads, Clip bounds, scales). */
  readonly initializers: TensorProto[];
  /** Node name → what it was, for the rewritten nodes (e.g. "opset-9 Upsample"). */
  readonly rewritten: ReadonlyMap<string, string>;
}

/** What a rewrite of one node sees. */
interface Site {
  readonly node: NodeProto & { readonly name: string };
  readonly attrs: Attributes;
  readonly opset: number;
  /** Adds an initializer named after the node and `what`; returns its name. */
  readonly float: (what: string, dims: readonly number[], values: readonly number[]) => string;
  readonly int64: (what: string, values: readonly number[]) => string;
  readonly fail: (why: string) => never;
}

/**
 * Rewrites the nodes of an opset 7–10 model into their opset-11 forms with the same results, so
 * that the gradient rules (written for opset ≥ 11) and onnxruntime see one consistent opset:
 * Upsample-7/9 and Resize-10 → Resize-11 (asymmetric coordinates and floor rounding: the old
 * semantics), Slice-1, Pad-2 and Clip-6 attributes → constant inputs, BatchNormalization's
 * `spatial` (= 1) and Dropout's `is_test` dropped, Scatter → ScatterElements, ImageScaler →
 * BatchNormalization (mean 0, variance 1, ε 0). Node names are kept (an unnamed node gets the name
 * `graphNode` gives it). A form without an equivalent throws UnsupportedOperatorError naming the
 * operator, node and opset.
 */
export function normalizeToOpset11(protos: readonly NodeProto[], opset: number): NormalizedNodes {
  const initializers: TensorProto[] = [];
  const rewritten = new Map<string, string>();
  const nodes: NodeProto[] = [];
  protos.forEach((p, i) => {
    const node = { ...p, name: p.name || `${p.opType}_${i}` };
    const op = node.opType ?? '';
    const key = (what: string) => `gradscope/opset11/${node.name}/${what}`;
    const site: Site = {
      node,
      attrs: new Attributes(node),
      opset,
      float: (what, dims, values) => (initializers.push(floatTensor(key(what), dims, values)), key(what)),
      int64: (what, values) => (initializers.push(int64Tensor(key(what), [values.length], values)), key(what)),
      fail: (why) => {
        throw new UnsupportedOperatorError(
          op,
          node.name,
          `this opset-${opset} form has no opset-11 equivalent: ${why}`,
        );
      },
    };
    const own = !node.domain || node.domain === 'ai.onnx';
    if (own && op in NO_OPSET11_FORM && !(op === 'TopK' && opset >= 10)) site.fail(NO_OPSET11_FORM[op]!);
    const rule = own ? REWRITES[op] : undefined;
    const out = rule ? rule(site) : [node];
    if (rule && (out.length !== 1 || out[0] !== node)) rewritten.set(node.name, `opset-${opset} ${op}`);
    nodes.push(...out);
  });
  return { nodes, initializers, rewritten };
}

const input = (s: Site, k: number) => s.node.input?.[k] ?? '';
const only = (s: Site, names: readonly string[]) =>
  (s.node.attribute ?? []).filter((x) => names.includes(x.name ?? ''));
/** A FLOATS attribute (Attributes has no reader for it). */
const floats = (s: Site, name: string) => (s.node.attribute ?? []).find((x) => x.name === name)?.floats ?? [];
/** int64 attribute values clamped to ±2^53, where JS numbers are exact (Slice bounds past the end are clamped anyway). */
const ints = (s: Site, name: string) => s.attrs.ints(name, []).map((v) => Math.min(Math.max(v, -(2 ** 53)), 2 ** 53));

/** Upsample (scales attribute before opset 9, input at 9) and Resize-10 → Resize-11 with the old semantics. */
function resize(s: Site): NodeProto[] {
  const mode = s.attrs.string('mode', 'nearest');
  if (mode !== 'nearest' && mode !== 'linear' && mode !== 'bilinear') s.fail(`mode '${mode}'`);
  const scales =
    s.node.opType === 'Upsample' && s.opset < 9
      ? s.float('scales', [floats(s, 'scales').length], floats(s, 'scales'))
      : input(s, 1);
  return [
    {
      ...s.node,
      opType: 'Resize',
      input: [input(s, 0), s.float('roi', [0], []), scales],
      attribute: [
        attribute('mode', mode === 'nearest' ? 'nearest' : 'linear'),
        attribute('coordinate_transformation_mode', 'asymmetric'),
        ...(mode === 'nearest' ? [attribute('nearest_mode', 'floor')] : []),
      ],
    },
  ];
}

const REWRITES: Record<string, (s: Site) => NodeProto[]> = {
  Upsample: resize,
  Resize: resize,
  Slice: (s) => {
    if (s.opset >= 10) return [s.node];
    const bounds = [s.int64('starts', ints(s, 'starts')), s.int64('ends', ints(s, 'ends'))];
    const axes = s.attrs.has('axes') ? [s.int64('axes', ints(s, 'axes'))] : [];
    return [{ ...s.node, input: [input(s, 0), ...bounds, ...axes], attribute: [] }];
  },
  Pad: (s) => {
    const pads = s.int64('pads', s.attrs.ints('pads', []));
    const value = s.float('value', [], [s.attrs.float('value', 0)]);
    return [{ ...s.node, input: [input(s, 0), pads, value], attribute: only(s, ['mode']) }];
  },
  Clip: (s) => {
    const bound = (name: string) => (s.attrs.has(name) ? s.float(name, [], [s.attrs.float(name, 0)]) : '');
    const inputs = [input(s, 0), bound('min'), bound('max')];
    while (inputs.at(-1) === '') inputs.pop();
    return [{ ...s.node, input: inputs, attribute: [] }];
  },
  BatchNormalization: (s) => {
    if (s.attrs.int('spatial', 1) !== 1) s.fail('spatial=0 (statistics per activation, not per channel)');
    return [{ ...s.node, attribute: only(s, ['epsilon', 'momentum']) }];
  },
  Dropout: (s) => [{ ...s.node, attribute: only(s, ['ratio', 'seed']) }],
  Scatter: (s) => [{ ...s.node, opType: 'ScatterElements' }],
  // y = scale·x + bias[c] as one node (new intermediate tensors would have no probe facts):
  // BatchNormalization with mean 0, variance 1 and ε = 0 is exactly x·scale + bias per channel
  ImageScaler: (s) => {
    const bias = floats(s, 'bias');
    const c = [bias.length];
    const f = (what: string, v: number) =>
      s.float(
        what,
        c,
        bias.map(() => v),
      );
    const stats = [s.float('bias', c, bias), f('mean', 0), f('var', 1)];
    const scale = f('scale', s.attrs.float('scale', 1));
    return [
      {
        ...s.node,
        opType: 'BatchNormalization',
        input: [input(s, 0), scale, ...stats],
        attribute: [attribute('epsilon', { float: 0 })],
      },
    ];
  },
};
