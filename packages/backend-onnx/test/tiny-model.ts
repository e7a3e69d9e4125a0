import {
  attribute,
  encodeModel,
  floatTensor,
  int64Tensor,
  type AttrValue,
  type NodeProto,
  type TensorProto,
} from '@gradscope/onnx-proto';

/** Builds small ONNX graphs in tests: input `x` (static shape) → ops → Flatten → output `y`. */
export class TinyGraph {
  /** The input, through an Identity (so that the graph always has a spatial layer). */
  readonly x: string;
  private readonly nodes: NodeProto[] = [];
  private readonly inits: TensorProto[] = [];
  private uid = 0;

  constructor(
    readonly xShape: readonly number[],
    readonly opset = 13,
  ) {
    this.x = this.op('Identity', ['x']);
  }

  /** Emits a node; returns its outputs. */
  ops(opType: string, inputs: readonly string[], outputs = 1, attrs: Record<string, AttrValue> = {}): string[] {
    const outs = Array.from({ length: outputs }, () => `t${this.uid++}`);
    this.nodes.push({
      opType,
      name: `/${opType.toLowerCase()}_${this.uid}/${opType}`,
      input: [...inputs],
      output: outs,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return outs;
  }

  op(opType: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}): string {
    return this.ops(opType, inputs, 1, attrs)[0]!;
  }

  f(values: ArrayLike<number>, dims: readonly number[] = []): string {
    const name = `c${this.uid++}`;
    this.inits.push(floatTensor(name, dims, values));
    return name;
  }

  i64(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const name = `c${this.uid++}`;
    this.inits.push(int64Tensor(name, dims, values));
    return name;
  }

  /** Seeded values in [-1, 1]. */
  static random(n: number, seed: number): number[] {
    let s = seed >>> 0;
    return Array.from({ length: n }, () => ((s = (s * 1664525 + 1013904223) >>> 0), (s / 2 ** 32) * 2 - 1));
  }

  /** Model bytes whose output `y` is Flatten(out), or `out` itself with `flatten: false`. */
  bytes(out: string, opts: { flatten?: boolean } = {}): Uint8Array {
    const flatten = opts.flatten ?? true;
    const y = flatten ? 'y' : out;
    const nodes = flatten
      ? [
          ...this.nodes,
          { opType: 'Flatten', name: '/flatten/Flatten', input: [out], output: [y], attribute: [attribute('axis', 1)] },
        ]
      : this.nodes;
    return encodeModel({
      irVersion: 8,
      opsetImport: [{ domain: '', version: this.opset }],
      producerName: 'gradscope-test',
      graph: {
        name: 'tiny',
        node: nodes,
        initializer: this.inits,
        input: [
          {
            name: 'x',
            type: { tensorType: { elemType: 1, shape: { dim: this.xShape.map((d) => ({ dimValue: d })) } } },
          },
        ],
        output: [{ name: y }],
      },
    });
  }
}
