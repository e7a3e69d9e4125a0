import { num, onnx, type AttributeProto, type NodeProto, type TensorProto } from './onnx.js';

const T = onnx.AttributeProto.AttributeType;

/** A decoded attribute value. */
export type AttrValue =
  | number
  | readonly number[]
  | string
  | TensorProto
  | { readonly float: number }
  | { readonly floats: readonly number[] };

/** Typed read access to a node's attributes. */
export class Attributes {
  private readonly map = new Map<string, AttributeProto>();
  constructor(node: NodeProto) {
    for (const a of node.attribute ?? []) if (a.name) this.map.set(a.name, a);
  }
  has(name: string): boolean {
    return this.map.has(name);
  }
  int(name: string, dflt: number): number {
    const a = this.map.get(name);
    return a ? num(a.i) : dflt;
  }
  ints(name: string, dflt: readonly number[]): number[] {
    const a = this.map.get(name);
    return a ? (a.ints ?? []).map(num) : [...dflt];
  }
  float(name: string, dflt: number): number {
    const a = this.map.get(name);
    return a ? (a.f ?? 0) : dflt;
  }
  string(name: string, dflt: string): string {
    const a = this.map.get(name);
    return a && a.s ? new TextDecoder().decode(a.s) : dflt;
  }
  tensor(name: string): TensorProto | undefined {
    return this.map.get(name)?.t ?? undefined;
  }
}

/**
 * Encodes an attribute. Plain numbers are INT, number arrays INTS, strings STRING; write
 * `{ float: x }` / `{ floats: [...] }` for floating-point attributes and pass a TensorProto for TENSOR.
 */
export function attribute(name: string, v: AttrValue): AttributeProto {
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (typeof v === 'number') return { name, type: T.INT, i: v };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: [...(v as readonly number[])] };
  if ('float' in v) return { name, type: T.FLOAT, f: v.float };
  if ('floats' in v) return { name, type: T.FLOATS, floats: [...v.floats] };
  return { name, type: T.TENSOR, t: v as TensorProto };
}
