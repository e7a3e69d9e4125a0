import { chooseOutput, ModelLoadError } from '@gradscope/core';
import {
  Attributes,
  decodeModel,
  num,
  tensorDims,
  tensorValues,
  type IModelProto,
  type ModelProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from '@gradscope/onnx-proto';
import { stripProbabilityHead } from './probability-head.js';

/** One node of the inference graph, with decoded attributes. */
export interface GraphNode {
  readonly index: number;
  readonly opType: string;
  readonly domain: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: Attributes;
  readonly proto: NodeProto;
}

/**
 * A node proto as a GraphNode at position `index` (a graph's own nodes, or emitted backward nodes
 * that a second backward walk differentiates).
 */
export function graphNode(p: NodeProto, index: number): GraphNode {
  return {
    index,
    opType: p.opType ?? '',
    domain: p.domain ?? '',
    name: p.name || `${p.opType}_${index}`,
    inputs: p.input ?? [],
    outputs: p.output ?? [],
    attrs: new Attributes(p),
    proto: p,
  };
}

/** A constant tensor's values (initializer or Constant node). */
export interface ConstantValue {
  readonly dims: readonly number[];
  readonly values: Float64Array;
}

/** Constants of at most this many elements are decoded once and remembered (see `OnnxGraph.constant`). */
const CACHED_CONSTANT = 65536;

/**
 * A decoded ONNX classifier: topologically ordered nodes, initializers, the single image input and
 * the logits output. A final Softmax or Sigmoid (and Identity nodes after it) is stripped (gradients are taken from logits) and inference
 * Dropout becomes Identity.
 */
export class OnnxGraph {
  readonly nodes: readonly GraphNode[];
  readonly initializers: ReadonlyMap<string, TensorProto>;
  readonly producer: ReadonlyMap<string, GraphNode>;
  readonly inputName: string;
  /** Input dims, -1 where dynamic. */
  readonly inputShape: readonly number[];
  readonly outputName: string;
  readonly opset: number;
  readonly strippedSoftmax: boolean;
  /** The final probability activation removed (looking through Identity nodes), if any. */
  readonly strippedActivation: 'softmax' | 'sigmoid' | null;
  /** Node name → its form in the model, for nodes an opset normalisation rewrote (see `gradientGraph`). */
  readonly rewrittenFrom: ReadonlyMap<string, string>;
  private readonly constants = new Map<string, ConstantValue | null>();

  constructor(
    readonly model: ModelProto,
    private readonly source: string,
    private readonly output?: string,
    options: { readonly stripHead?: boolean; readonly rewrittenFrom?: ReadonlyMap<string, string> } = {},
  ) {
    this.rewrittenFrom = options.rewrittenFrom ?? new Map();
    const g = model.graph;
    if (!g || !g.node?.length || !g.output?.length || !g.input?.length)
      throw new ModelLoadError(source, 'not an ONNX model (no graph, nodes, inputs or outputs)');
    this.initializers = new Map((g.initializer ?? []).map((t) => [t.name ?? '', t]));
    const inputs = g.input.filter((i) => !this.initializers.has(i.name ?? ''));
    if (inputs.length !== 1)
      throw new ModelLoadError(
        source,
        `expected one image input, found ${inputs.length} (${inputs.map((i) => i.name).join(', ')})`,
      );
    const input = inputs[0]!;
    this.inputName = input.name ?? '';
    const tt = input.type?.tensorType;
    if (!tt || num(tt.elemType) !== 1)
      throw new ModelLoadError(source, `input '${this.inputName}' is not a float32 tensor`);
    this.inputShape = (tt.shape?.dim ?? []).map((d) =>
      d.dimValue != null && num(d.dimValue) > 0 ? num(d.dimValue) : -1,
    );
    if (this.inputShape.length !== 4)
      throw new ModelLoadError(
        source,
        `input '${this.inputName}' has rank ${this.inputShape.length}; an NCHW image input (rank 4) is required`,
      );
    const opset = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
    this.opset = opset ? num(opset.version) : 0;
    if (this.opset < 7)
      throw new ModelLoadError(source, `default-domain opset ${this.opset} is not supported (need ≥ 7)`);

    const protos = g.node.map((n) =>
      n.opType === 'Dropout' && !n.output?.[1]
        ? { ...n, opType: 'Identity', input: [n.input![0]!], output: [n.output![0]!], attribute: [] }
        : n,
    );
    const chosen = chooseModelOutput(
      source,
      g.output.map((o) => o.name ?? ''),
      output,
    );
    const head =
      options.stripHead === false ? { protos, logits: chosen, activation: null } : stripProbabilityHead(protos, chosen);
    const outputName = head.logits;
    this.strippedActivation = head.activation;
    this.strippedSoftmax = head.activation === 'softmax';
    this.outputName = outputName;
    this.nodes = head.protos.map(graphNode);
    const producer = new Map<string, GraphNode>();
    for (const n of this.nodes) for (const o of n.outputs) if (o) producer.set(o, n);
    this.producer = producer;
    if (!producer.has(outputName))
      throw new ModelLoadError(source, `output '${outputName}' is not produced by any node`);
  }

  /** Parses model bytes; any decoding problem is a ModelLoadError naming `source`. */
  static parse(bytes: Uint8Array, source: string, output?: string): OnnxGraph {
    let model: ModelProto;
    try {
      model = decodeModel(bytes);
    } catch (e) {
      throw new ModelLoadError(source, `not an ONNX model or truncated file (${(e as Error).message})`, { cause: e });
    }
    return new OnnxGraph(model, source, output);
  }

  /** The same graph with some initializers replaced (by name); this graph is untouched. */
  withInitializers(replaced: ReadonlyMap<string, TensorProto>): OnnxGraph {
    const g = this.model.graph!;
    const initializer = (g.initializer ?? []).map((t) => replaced.get(t.name ?? '') ?? t);
    // copies that keep the protobuf prototypes (their defaults) of the decoded messages
    const graph = Object.assign(Object.create(Object.getPrototypeOf(g) as object) as object, g, { initializer });
    const model = Object.assign(Object.create(Object.getPrototypeOf(this.model) as object) as object, this.model, {
      graph,
    }) as ModelProto;
    return new OnnxGraph(model, this.source, this.output);
  }

  /**
   * The value of a constant tensor (initializer, Constant node, or Identity of one), else null.
   * Values of up to `CACHED_CONSTANT` elements are remembered; larger ones (weights) are decoded on
   * each call, so that a loaded model does not keep a float64 copy of every weight.
   */
  constant(name: string): ConstantValue | null {
    if (this.constants.has(name)) return this.constants.get(name)!;
    let v: ConstantValue | null = null;
    const init = this.initializers.get(name);
    if (init) {
      const values = tensorValues(init);
      v = values ? { dims: tensorDims(init), values } : null;
    } else {
      const p = this.producer.get(name);
      if (p?.opType === 'Constant') {
        const t = p.attrs.tensor('value');
        const values = t ? tensorValues(t) : null;
        v = t && values ? { dims: tensorDims(t), values } : null;
      } else if (p?.opType === 'Identity') v = this.constant(p.inputs[0]!);
    }
    if (!v || v.values.length <= CACHED_CONSTANT) this.constants.set(name, v);
    return v;
  }

  /** The dims of a tensor `constant` has a value for, without decoding it; else null. */
  constantDims(name: string): readonly number[] | null {
    const init = this.initializers.get(name);
    // the element types `constant` decodes (an initializer of another type has no value there)
    if (init) return [1, 6, 7, 11].includes(num(init.dataType)) ? tensorDims(init) : null;
    const p = this.producer.get(name);
    if (p?.opType === 'Identity') return this.constantDims(p.inputs[0]!);
    return p?.opType === 'Constant' ? (this.constant(name)?.dims ?? null) : null;
  }

  /** A ModelProto with this graph's metadata and the given parts replaced. */
  derive(parts: {
    node: NodeProto[];
    input?: ValueInfoProto[];
    output: ValueInfoProto[];
    initializer?: TensorProto[];
    opset?: number;
  }): IModelProto {
    const g = this.model.graph!;
    const opsetImport = (this.model.opsetImport ?? []).map((o) =>
      (!o.domain || o.domain === 'ai.onnx') && parts.opset ? { ...o, version: parts.opset } : o,
    );
    let irVersion = num(this.model.irVersion);
    if (parts.opset && parts.opset >= 16 && irVersion < 8) irVersion = 8;
    return {
      ...this.model,
      irVersion,
      opsetImport,
      graph: {
        ...g,
        node: parts.node,
        input: parts.input ?? g.input,
        output: parts.output,
        initializer: parts.initializer ?? g.initializer,
        valueInfo: [],
      },
    } as IModelProto;
  }

  /** The protos of all nodes, in order. */
  nodeProtos(): NodeProto[] {
    return this.nodes.map((n) => n.proto);
  }
}

/** A graph output declaration with only a name (ORT infers type and shape). */
export function outputInfo(name: string): ValueInfoProto {
  return { name };
}

/** {@link chooseOutput} with its error as a ModelLoadError naming the model. */
function chooseModelOutput(source: string, outputs: readonly string[], wanted?: string): string {
  try {
    return chooseOutput(outputs, wanted);
  } catch (e) {
    throw new ModelLoadError(source, (e as Error).message, { cause: e });
  }
}
