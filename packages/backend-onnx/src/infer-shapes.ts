import { num } from '@gradscope/onnx-proto';
import type { GraphNode, OnnxGraph } from './graph/onnx-graph.js';
import type { TensorFacts } from './probe.js';

type Dims = readonly number[];
type Infer = (n: GraphNode, ins: (Dims | null)[], g: OnnxGraph) => Dims | null;

const same: Infer = (_n, ins) => ins[0] ?? null;
const prod = (d: Dims) => d.reduce((a, b) => a * b, 1);
const axisOf = (a: number, rank: number) => (a < 0 ? a + rank : a);

/** numpy broadcasting of shapes (null when they do not broadcast). */
function broadcastDims(ins: readonly Dims[]): Dims | null {
  const rank = Math.max(...ins.map((d) => d.length));
  const out: number[] = [];
  for (let k = 0; k < rank; k++) {
    let v = 1;
    for (const d of ins) {
      const x = d[k - (rank - d.length)] ?? 1;
      if (x !== 1 && v !== 1 && x !== v) return null;
      if (x !== 1) v = x;
    }
    out.push(v);
  }
  return out;
}

const broadcast: Infer = (_n, ins) => (ins.every((d) => d) ? broadcastDims(ins as Dims[]) : null);

/** Output spatial sizes of a Conv or pooling window (explicit pads only, floor rounding). */
function windowed(n: GraphNode, x: Dims, kernel: Dims): number[] | null {
  const r = kernel.length;
  const autoPad = n.attrs.string('auto_pad', 'NOTSET');
  if ((autoPad !== 'NOTSET' && autoPad !== 'VALID') || n.attrs.int('ceil_mode', 0) !== 0) return null;
  const pads = autoPad === 'VALID' ? Array<number>(2 * r).fill(0) : n.attrs.ints('pads', Array<number>(2 * r).fill(0));
  const strides = n.attrs.ints('strides', Array<number>(r).fill(1));
  const dil = n.attrs.ints('dilations', Array<number>(r).fill(1));
  if (x.length !== r + 2 || pads.length !== 2 * r || strides.length !== r || dil.length !== r) return null;
  const out = kernel.map(
    (k, i) => Math.floor((x[2 + i]! + pads[i]! + pads[r + i]! - dil[i]! * (k - 1) - 1) / strides[i]!) + 1,
  );
  const valid = [...kernel, ...strides, ...dil].every((v) => v >= 1) && pads.every((p) => p >= 0);
  return valid && out.every((v) => v >= 1) ? out : null;
}

const conv: Infer = (n, [x, w, b]) => {
  if (!x || !w || w.length !== x.length || n.outputs.length !== 1) return null;
  const group = n.attrs.int('group', 1);
  const kernel = w.slice(2);
  const declared = n.attrs.ints('kernel_shape', [...kernel]);
  if (declared.some((k, i) => k !== kernel[i]) || group < 1 || x[1] !== w[1]! * group || w[0]! % group) return null;
  if (b && (b.length !== 1 || b[0] !== w[0])) return null;
  const sp = windowed(n, x, kernel);
  return sp && [x[0]!, w[0]!, ...sp];
};

const pool: Infer = (n, [x]) => {
  if (!x || n.outputs.length !== 1) return null;
  const sp = windowed(n, x, n.attrs.ints('kernel_shape', []));
  return sp && sp.length === x.length - 2 ? [x[0]!, x[1]!, ...sp] : null;
};

const globalPool: Infer = (_n, [x]) => (x && x.length >= 3 ? [x[0]!, x[1]!, ...x.slice(2).map(() => 1)] : null);

const flatten: Infer = (n, [x]) => {
  if (!x) return null;
  const a = axisOf(n.attrs.int('axis', 1), x.length);
  return a >= 0 && a <= x.length ? [prod(x.slice(0, a)), prod(x.slice(a))] : null;
};

const gemm: Infer = (n, [a, b, c]) => {
  if (a?.length !== 2 || b?.length !== 2) return null;
  const [m, k] = n.attrs.int('transA', 0) ? [a[1]!, a[0]!] : [a[0]!, a[1]!];
  const [k2, cols] = n.attrs.int('transB', 0) ? [b[1]!, b[0]!] : [b[0]!, b[1]!];
  if (k !== k2) return null;
  return !c || broadcastDims([[m, cols], c])?.join() === `${m},${cols}` ? [m, cols] : null;
};

const matMul: Infer = (_n, [a, b]) =>
  a && b && a.length >= 2 && b.length === 2 && a[a.length - 1] === b[0] ? [...a.slice(0, -1), b[1]!] : null;

const concat: Infer = (n, ins) => {
  const first = ins[0];
  if (!first || ins.some((d) => !d || d.length !== first.length)) return null;
  const a = axisOf(n.attrs.int('axis', 0), first.length);
  if (a < 0 || a >= first.length || ins.some((d) => d!.some((v, k) => k !== a && v !== first[k]))) return null;
  return first.map((v, k) => (k === a ? ins.reduce((s, d) => s + d![a]!, 0) : v));
};

const transpose: Infer = (n, [x]) => {
  if (!x) return null;
  const perm = n.attrs.ints(
    'perm',
    x.map((_, i) => x.length - 1 - i),
  );
  const ok = perm.length === x.length && new Set(perm).size === x.length && perm.every((p) => p >= 0 && p < x.length);
  return ok ? perm.map((p) => x[p]!) : null;
};

const reduceMean: Infer = (n, [x], g) => {
  if (!x) return null;
  const fromInput = n.inputs[1] ? g.constant(n.inputs[1]) : null;
  const axes = fromInput ? [...fromInput.values] : n.attrs.ints('axes', []);
  if (!axes.length || (n.inputs[1] && !fromInput)) return null;
  const set = new Set(axes.map((a) => axisOf(a, x.length)));
  if ([...set].some((a) => a < 0 || a >= x.length)) return null;
  const keep = n.attrs.int('keepdims', 1) !== 0;
  return x.flatMap((v, k) => (set.has(k) ? (keep ? [1] : []) : [v]));
};

const reshape: Infer = (n, [x], g) => {
  const c = n.inputs[1] ? g.constant(n.inputs[1]) : null;
  if (!x || !c || c.dims.length !== 1 || n.attrs.int('allowzero', 0) !== 0) return null;
  const out = [...c.values].map((v, k) => (v === 0 ? (x[k] ?? -2) : v));
  const free = out.filter((v) => v === -1).length;
  if (free > 1 || out.some((v) => v < -1 || v === 0 || !Number.isInteger(v))) return null;
  const known = prod(out.filter((v) => v !== -1));
  if (free) return prod(x) % known ? null : out.map((v) => (v === -1 ? prod(x) / known : v));
  return known === prod(x) ? out : null;
};

/** Shape inference per operator: only the float32 operators whose shapes these rules get exactly right. */
const RULES: Readonly<Record<string, Infer>> = {
  Conv: conv,
  MaxPool: pool,
  AveragePool: pool,
  GlobalAveragePool: globalPool,
  GlobalMaxPool: globalPool,
  Relu: same,
  LeakyRelu: same,
  Sigmoid: same,
  HardSigmoid: same,
  HardSwish: same,
  Erf: same,
  Sqrt: same,
  Identity: same,
  Clip: same,
  BatchNormalization: (n, ins) => (n.outputs.length === 1 ? ins[0]! : null),
  Add: broadcast,
  Sub: broadcast,
  Mul: broadcast,
  Div: broadcast,
  Pow: broadcast,
  Flatten: flatten,
  Gemm: gemm,
  MatMul: matMul,
  Concat: concat,
  Transpose: transpose,
  ReduceMean: reduceMean,
  Reshape: reshape,
};

/** Operands a rule reads only as constant values (their type may be an integer one). */
const VALUE_OPERANDS: Readonly<Record<string, readonly number[]>> = { Reshape: [1], ReduceMean: [1], Clip: [1, 2] };

/**
 * Every node output's shape and type for an input of shape `dims`, computed from the graph alone —
 * what `probeGraph` would record, without an onnxruntime session. Null when the graph has an
 * operator, attribute or operand these rules do not cover, or shapes that do not fit (the caller
 * then probes, and onnxruntime reports what is wrong).
 */
export function inferFacts(graph: OnnxGraph, dims: Dims): Map<string, TensorFacts> | null {
  const shapes = new Map<string, Dims>([[graph.inputName, dims]]);
  const floatConst = (t: string): Dims | null => {
    const init = graph.initializers.get(t);
    const p = graph.producer.get(t);
    const proto = init ?? (p?.opType === 'Constant' ? p.attrs.tensor('value') : undefined);
    return proto && num(proto.dataType) === 1 ? graph.constantDims(t) : null;
  };
  const facts = new Map<string, TensorFacts>();
  for (const n of graph.nodes) {
    if (n.opType === 'Constant') continue;
    const rule = n.domain === '' || n.domain === 'ai.onnx' ? RULES[n.opType] : undefined;
    if (!rule || n.outputs.length !== 1) return null;
    const valueOperands = VALUE_OPERANDS[n.opType] ?? [];
    const ins = n.inputs.map((t, k) => (!t || valueOperands.includes(k) ? null : (shapes.get(t) ?? floatConst(t))));
    if (n.inputs.some((t, k) => t && !valueOperands.includes(k) && !ins[k])) return null;
    const out = rule(n, ins, graph);
    if (!out || out.some((v) => !Number.isInteger(v) || v < 1)) return null;
    shapes.set(n.outputs[0]!, out);
    facts.set(n.outputs[0]!, { shape: [...out], type: 'float32' });
  }
  facts.set(graph.inputName, { shape: [...dims], type: 'float32' });
  return facts;
}
