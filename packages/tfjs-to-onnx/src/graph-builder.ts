import { onnx, type IAttributeProto, type INodeProto, type ITensorProto, type IValueInfoProto } from './proto/onnx.js';

/** An attribute value: integers, integer lists, `{ f }` for a float, strings. */
export type Attr = number | readonly number[] | { readonly f: number } | string;

const T = onnx.AttributeProto.AttributeType;

function attribute(name: string, v: Attr): IAttributeProto {
  if (typeof v === 'number') return { name, type: T.INT, i: v };
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if ('f' in v) return { name, type: T.FLOAT, f: v.f };
  return { name, type: T.INTS, ints: [...(v as readonly number[])] };
}

/** A float32 tensor: dims + values. */
export interface FloatTensor {
  readonly dims: readonly number[];
  readonly values: Float32Array;
}

/**
 * Accumulates ONNX nodes and initializers with unique names. Tensor names double as gradscope layer
 * names on the ONNX backend, so each tfjs layer's final output is named after the layer and helper
 * tensors get `<layer>/<Op>` names.
 */
export class GraphBuilder {
  readonly nodes: INodeProto[] = [];
  readonly initializers: ITensorProto[] = [];
  private readonly used = new Set<string>();

  /** Reserves `name` (throws on a clash: layer names must be unique). */
  reserve(name: string): string {
    if (this.used.has(name)) throw new Error(`duplicate ONNX tensor name '${name}'`);
    this.used.add(name);
    return name;
  }

  /** `base`, or `base_1`, `base_2`, … when taken (not reserved yet). */
  unique(base: string): string {
    let n = base;
    for (let i = 1; this.used.has(n); i++) n = `${base}_${i}`;
    return n;
  }

  /** Reserves and returns `unique(base)`. */
  fresh(base: string): string {
    return this.reserve(this.unique(base));
  }

  /** Adds a node producing one tensor called `output` (reserved here); the node has the same name. */
  node(opType: string, inputs: readonly string[], output: string, attrs: Readonly<Record<string, Attr>> = {}): string {
    this.reserve(output);
    this.nodes.push({
      name: output,
      opType,
      input: [...inputs],
      output: [output],
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return output;
  }

  /** A float32 initializer; returns its (unique) name. */
  float(name: string, t: FloatTensor): string {
    const n = this.fresh(name);
    const copy = Float32Array.from(t.values);
    this.initializers.push({
      name: n,
      dims: [...t.dims],
      dataType: onnx.TensorProto.DataType.FLOAT,
      rawData: new Uint8Array(copy.buffer),
    });
    return n;
  }

  /** An int64 initializer (e.g. Pad's pads); returns its (unique) name. */
  int64(name: string, values: readonly number[]): string {
    const n = this.fresh(name);
    const b = new BigInt64Array(values.map((v) => BigInt(v)));
    this.initializers.push({
      name: n,
      dims: [values.length],
      dataType: onnx.TensorProto.DataType.INT64,
      rawData: new Uint8Array(b.buffer),
    });
    return n;
  }

  /** A float32 scalar initializer (e.g. Clip bounds). */
  scalar(name: string, v: number): string {
    const n = this.fresh(name);
    this.initializers.push({
      name: n,
      dims: [],
      dataType: onnx.TensorProto.DataType.FLOAT,
      rawData: new Uint8Array(Float32Array.of(v).buffer),
    });
    return n;
  }
}

/** A float32 graph input/output declaration; null dims become the symbolic `N` (batch) or `d<i>`. */
export function floatValueInfo(name: string, dims: readonly (number | null)[]): IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: dims.map((d, i) => (d === null ? { dimParam: i === 0 ? 'N' : `d${i}` } : { dimValue: d })) },
      },
    },
  };
}
