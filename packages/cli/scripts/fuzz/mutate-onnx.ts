import { decode, encode, strings, subs, text, type Field, type Message } from './protobuf.js';
import { flipBytes, NASTY_INTS, truncate, type Rng } from './rng.js';

const OPS = [
  'Conv',
  'Relu',
  'Add',
  'MatMul',
  'Gemm',
  'MaxPool',
  'GlobalAveragePool',
  'Reshape',
  'Loop',
  'If',
  'Nope',
  '',
];

const varintField = (no: number, v: number): Field => ({ no, wire: 0, value: BigInt(Math.trunc(v)) });

/** A random node / initializer / value-info of the graph, or null when there is none. */
const pickSub = (r: Rng, m: Message, no: number): Message | null => {
  const xs = subs(m, no);
  return xs.length ? r.pick(xs) : null;
};

function setDims(r: Rng, vi: Message): void {
  const shape = subs(subs(subs(vi, 2)[0] ?? [], 1)[0] ?? [], 2)[0];
  const dims = shape ? subs(shape, 1) : [];
  if (!dims.length) return;
  const d = r.pick(dims);
  d.splice(0, d.length, r.chance(0.2) ? { no: 2, wire: 2, bytes: text('N') } : varintField(1, r.pick(NASTY_INTS)));
}

function replaceRepeated(t: Message, no: number, values: number[]): void {
  for (let i = t.length - 1; i >= 0; i--) if (t[i]!.no === no) t.splice(i, 1);
  t.unshift(...values.map((v) => varintField(no, v)));
}

/** Field-level mutations of a decoded ModelProto; each returns a short description. */
const FIELD_MUTATIONS: Record<string, (r: Rng, g: Message, model: Message) => void> = {
  'input-dim': (r, g) => subs(g, 11).forEach((vi) => setDims(r, vi)),
  'output-dim': (r, g) => subs(g, 12).forEach((vi) => setDims(r, vi)),
  'init-dims': (r, g) => {
    const t = pickSub(r, g, 5);
    if (t)
      replaceRepeated(
        t,
        1,
        Array.from({ length: 1 + r.int(4) }, () => r.pick(NASTY_INTS)),
      );
  },
  'huge-init-claim': (r, g) => {
    const t = pickSub(r, g, 5);
    if (t) replaceRepeated(t, 1, [2 ** (10 + r.int(12)), 2 ** (10 + r.int(12))]);
  },
  'huge-init-data': (r, g) => {
    const t = pickSub(r, g, 5);
    if (!t) return;
    const n = (2 + r.int(6)) * 1024 * 1024; // 2–7 M floats = 8–28 MB
    replaceRepeated(t, 1, [n]);
    for (let i = t.length - 1; i >= 0; i--) if (t[i]!.no === 9 || t[i]!.no === 4) t.splice(i, 1);
    t.push({ no: 9, wire: 2, bytes: new Uint8Array(n * 4) });
  },
  'init-dtype': (r, g) => {
    const t = pickSub(r, g, 5);
    if (t) replaceRepeated(t, 2, [r.int(24)]);
  },
  'init-non-finite': (r, g) => {
    const t = pickSub(r, g, 5);
    const raw = t?.find((f) => f.no === 9 && f.wire === 2);
    if (!raw || raw.wire !== 2 || raw.bytes.length < 4) return;
    const v = new DataView(raw.bytes.buffer, raw.bytes.byteOffset, raw.bytes.byteLength);
    const bad = r.pick([NaN, Infinity, -Infinity, 3.4e38]);
    for (let k = 0; k < 1 + r.int(4); k++) v.setFloat32(4 * r.int(raw.bytes.length >> 2), bad, true);
  },
  'drop-init': (r, g) => {
    const idx = g.flatMap((f, i) => (f.no === 5 ? [i] : []));
    if (idx.length) g.splice(r.pick(idx), 1);
  },
  attribute: (r, g) => {
    const node = pickSub(r, g, 1);
    const attr = node && pickSub(r, node, 5);
    if (!attr) return;
    for (let i = attr.length - 1; i >= 0; i--) if ([2, 3, 8].includes(attr[i]!.no)) attr.splice(i, 1);
    if (r.chance(0.5)) attr.push(varintField(3, r.pick(NASTY_INTS)));
    else attr.push(...Array.from({ length: r.int(5) }, () => varintField(8, r.pick(NASTY_INTS))));
  },
  dangling: (r, g) => {
    const node = pickSub(r, g, 1);
    const ins = node ? strings(node, 1) : [];
    if (ins.length) r.pick(ins).bytes = text(`dangling_${r.int(1000)}`);
  },
  cycle: (r, g) => {
    const nodes = subs(g, 1);
    if (nodes.length < 2) return;
    const i = r.int(nodes.length - 1);
    const j = i + r.int(nodes.length - i);
    const ins = strings(nodes[i]!, 1);
    const outs = strings(nodes[j]!, 2);
    if (ins.length && outs.length) r.pick(ins).bytes = outs[0]!.bytes;
  },
  'op-type': (r, g) => {
    const node = pickSub(r, g, 1);
    const op = node ? strings(node, 4)[0] : undefined;
    if (op) op.bytes = text(r.pick(OPS));
  },
  'drop-node': (r, g) => {
    const idx = g.flatMap((f, i) => (f.no === 1 ? [i] : []));
    if (idx.length) g.splice(r.pick(idx), 1);
  },
  'duplicate-node': (r, g) => {
    const idx = g.flatMap((f, i) => (f.no === 1 ? [i] : []));
    if (idx.length) g.push(g[r.pick(idx)]!);
  },
  'output-name': (r, g) => {
    const out = pickSub(r, g, 12);
    const name = out ? strings(out, 1)[0] : undefined;
    if (name) name.bytes = text(r.pick(['', 'nowhere', 'input']));
  },
};

export const ONNX_MUTATIONS = ['byte-flip', 'truncate', ...Object.keys(FIELD_MUTATIONS)];

/** One mutated copy of the ONNX model `base`: returns the bytes and what was done. */
export function mutateOnnx(r: Rng, base: Uint8Array): { bytes: Uint8Array; what: string } {
  const what = r.pick(ONNX_MUTATIONS);
  if (what === 'byte-flip') return { bytes: flipBytes(r, base, 1 + r.int(16)), what };
  if (what === 'truncate') return { bytes: truncate(r, base), what };
  const model = decode(base);
  const graph = subs(model, 7)[0]!;
  const steps = 1 + r.int(2);
  const done = [what];
  FIELD_MUTATIONS[what]!(r, graph, model);
  for (let k = 1; k < steps; k++) {
    const extra = r.pick(Object.keys(FIELD_MUTATIONS));
    FIELD_MUTATIONS[extra]!(r, graph, model);
    done.push(extra);
  }
  return { bytes: encode(model), what: done.join('+') };
}
