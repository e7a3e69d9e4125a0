/**
 * Just enough of the protobuf wire format to mutate ONNX models by field: a message is a list of
 * fields; length-delimited fields listed in the schema as messages are decoded recursively.
 */
export type Field =
  | { no: number; wire: 0; value: bigint }
  | { no: number; wire: 1 | 5; bytes: Uint8Array }
  | { no: number; wire: 2; bytes: Uint8Array; msg?: Message };
export type Message = Field[];

/** Field numbers that hold sub-messages, per message type (ONNX's onnx.proto). */
const SCHEMA: Record<string, Record<number, string>> = {
  Model: { 7: 'Graph', 8: 'OpsetId' },
  Graph: { 1: 'Node', 5: 'Tensor', 11: 'ValueInfo', 12: 'ValueInfo', 13: 'ValueInfo' },
  Node: { 5: 'Attribute' },
  Attribute: { 5: 'Tensor', 6: 'Graph' },
  ValueInfo: { 2: 'Type' },
  Type: { 1: 'TensorType' },
  TensorType: { 2: 'Shape' },
  Shape: { 1: 'Dim' },
  Dim: {},
  Tensor: {},
  OpsetId: {},
};

function varint(b: Uint8Array, o: { at: number }): bigint {
  let v = 0n;
  for (let shift = 0n; shift < 70n; shift += 7n) {
    if (o.at >= b.length) throw new Error('truncated varint');
    const x = b[o.at++]!;
    v |= BigInt(x & 0x7f) << shift;
    if (!(x & 0x80)) return v;
  }
  throw new Error('varint too long');
}

/** Decodes `b` as message type `type`; throws on malformed input. */
export function decode(b: Uint8Array, type = 'Model'): Message {
  const o = { at: 0 };
  const out: Message = [];
  while (o.at < b.length) {
    const key = Number(varint(b, o));
    const no = key >>> 3,
      wire = key & 7;
    if (wire === 0) out.push({ no, wire, value: varint(b, o) });
    else if (wire === 1 || wire === 5) {
      const n = wire === 1 ? 8 : 4;
      out.push({ no, wire, bytes: b.slice(o.at, o.at + n) });
      o.at += n;
    } else if (wire === 2) {
      const len = Number(varint(b, o));
      if (o.at + len > b.length) throw new Error('truncated field');
      const bytes = b.slice(o.at, o.at + len);
      o.at += len;
      const sub = SCHEMA[type]?.[no];
      out.push(sub ? { no, wire, bytes, msg: decode(bytes, sub) } : { no, wire, bytes });
    } else throw new Error(`wire type ${wire}`);
  }
  return out;
}

function putVarint(out: number[], v: bigint): void {
  let x = BigInt.asUintN(64, v);
  do {
    const byte = Number(x & 0x7fn);
    x >>= 7n;
    out.push(x ? byte | 0x80 : byte);
  } while (x);
}

/** Encodes a (possibly mutated) message. */
export function encode(m: Message): Uint8Array {
  const out: number[] = [];
  for (const f of m) {
    putVarint(out, BigInt((f.no << 3) | f.wire));
    if (f.wire === 0) putVarint(out, f.value);
    else if (f.wire === 2) {
      const bytes = f.msg ? encode(f.msg) : f.bytes;
      putVarint(out, BigInt(bytes.length));
      for (const x of bytes) out.push(x);
    } else for (const x of f.bytes) out.push(x);
  }
  return Uint8Array.from(out);
}

/** Sub-messages of `m` under field `no`. */
export const subs = (m: Message, no: number): Message[] =>
  m.flatMap((f) => (f.no === no && f.wire === 2 && f.msg ? [f.msg] : []));

/** Strings (length-delimited, non-message) of `m` under field `no`, as the fields themselves. */
export const strings = (m: Message, no: number) =>
  m.filter((f): f is Extract<Field, { wire: 2 }> => f.no === no && f.wire === 2 && !f.msg);

export const text = (s: string): Uint8Array => new TextEncoder().encode(s);
export const str = (b: Uint8Array): string => new TextDecoder().decode(b);
