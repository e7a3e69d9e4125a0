import {
  attribute,
  floatTensor,
  int64Tensor,
  type AttrValue,
  type NodeProto,
  type TensorProto,
} from '@gradscope/onnx-proto';

/**
 * Collects the nodes and initializers a backward pass adds, under fresh `gradscope/…` names (one
 * counter for all of them, so names never clash with the model's own).
 */
export class NodeEmitter {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  /** Scalar float constants equal to 0 (what `Where(mask, g, 0)` reads). */
  readonly zeros = new Set<string>();
  private uid = 0;
  /** With `shareConstants`: float constants of ≥ 256 values by content hash, so equal ones are emitted once. */
  private readonly shared: Map<string, { name: string; values: Float32Array }[]> | null;
  /** With `shareConstants`: the constant emitted for an array object (the same array twice is not re-hashed). */
  private readonly byArray = new Map<ArrayLike<number>, { name: string; dims: string }>();

  /**
   * `shareConstants`: a float constant equal (same dims, same values) to one emitted before reuses
   * it — what several backward branches in one graph need, so that e.g. every branch's flipped conv
   * weights (`convInputGradient`) are held once. Off by default (a single branch has no repeats).
   */
  constructor(options: { readonly shareConstants?: boolean } = {}) {
    this.shared = options.shareConstants ? new Map() : null;
  }

  /** A new unique name `gradscope/<base>/<n>`. */
  fresh(base: string): string {
    return `gradscope/${base}/${this.uid++}`;
  }

  /** Emits one node with `outputs` fresh outputs and returns their names. */
  emit(
    opType: string,
    inputs: readonly string[],
    outputs: number,
    attrs: Readonly<Record<string, AttrValue>> = {},
  ): string[] {
    const outs = Array.from({ length: outputs }, () => this.fresh(opType));
    this.nodes.push({
      opType,
      input: [...inputs],
      output: outs,
      name: this.fresh(`node/${opType}`),
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return outs;
  }

  /** Emits one node and returns its (only) output. */
  op(opType: string, inputs: readonly string[], attrs: Readonly<Record<string, AttrValue>> = {}): string {
    return this.emit(opType, inputs, 1, attrs)[0]!;
  }

  /** A float32 constant (a scalar when `dims` is omitted). */
  constFloat(values: ArrayLike<number>, dims: readonly number[] = []): string {
    if (this.shared && values.length >= 256) {
      const same = this.byArray.get(values);
      if (same && same.dims === dims.join('x')) return same.name;
      const name = this.sharedFloat(values instanceof Float32Array ? values : Float32Array.from(values), dims);
      this.byArray.set(values, { name, dims: dims.join('x') });
      return name;
    }
    const name = this.fresh('const');
    this.initializers.push(floatTensor(name, dims, values));
    if (dims.length === 0 && values.length === 1 && values[0] === 0) this.zeros.add(name);
    return name;
  }

  private sharedFloat(values: Float32Array, dims: readonly number[]): string {
    const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
    let h = 0x811c9dc5;
    for (let i = 0; i < bits.length; i++) h = Math.imul(h ^ bits[i]!, 0x01000193);
    const key = `${dims.join('x')}|${h >>> 0}`;
    const same = this.shared!.get(key) ?? [];
    const hit = same.find((c) => c.values.every((v, i) => Object.is(v, values[i])));
    if (hit) return hit.name;
    const name = this.fresh('const');
    this.initializers.push(floatTensor(name, dims, values));
    same.push({ name, values });
    this.shared!.set(key, same);
    return name;
  }

  /** An int64 constant (1-D when `dims` is omitted). */
  constInt64(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const name = this.fresh('const');
    this.initializers.push(int64Tensor(name, dims, values));
    return name;
  }

  /** Zeros shaped like `tensor` (at run time). */
  zerosLike(tensor: string): string {
    return this.op('ConstantOfShape', [this.op('Shape', [tensor])], { value: floatTensor('value', [1], [0]) });
  }
}
