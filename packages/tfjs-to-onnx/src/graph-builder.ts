import {
  attribute,
  floatTensor,
  int64Tensor,
  type AttrValue,
  type NodeProto,
  type TensorProto,
} from '@gradscope/onnx-proto';

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
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
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
  node(
    opType: string,
    inputs: readonly string[],
    output: string,
    attrs: Readonly<Record<string, AttrValue>> = {},
  ): string {
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
    this.initializers.push(floatTensor(n, t.dims, t.values));
    return n;
  }

  /** An int64 initializer (e.g. Pad's pads); returns its (unique) name. */
  int64(name: string, values: readonly number[]): string {
    const n = this.fresh(name);
    this.initializers.push(int64Tensor(n, [values.length], values));
    return n;
  }

  /** A float32 scalar initializer (e.g. Clip bounds). */
  scalar(name: string, v: number): string {
    const n = this.fresh(name);
    this.initializers.push(floatTensor(n, [], [v]));
    return n;
  }
}
