import * as tf from '@tensorflow/tfjs';
import {
  UnknownLayerError,
  UnsupportedModelError,
  unknownNormalizationWarning,
  chooseOutput,
  DYNAMIC_SIZE_HINT,
  BadInputShapeError,
  BadInputError,
  LOGITS_LAYER,
  type CaptureRequest,
  type RandomizeOptions,
  type Capability,
  type InputSpec,
  type LayerHook,
  type LayerInfo,
  type Model,
  type ReluMode,
  canStack,
  type Tensor,
} from '@gradscope/core';
import { captureMerged } from '../capture-many.js';
import { TFJS_CAPABILITIES } from '../capabilities.js';
import { download } from '../download.js';
import { captureGraphModel } from './graph-model-capture.js';
import { graphHessianVectors } from './graph-model-hessian.js';
import type { GraphModelState } from './graph-model-state.js';
import { SPLIT_SUFFIX, type GraphDefNode } from './graph-model-split.js';
import { probabilityHead } from './probability-head.js';
import { randomizedArtifacts } from './randomize-graph-model.js';
import { checkBatch } from '../input-check.js';
import { spatialOf } from '../spatial-of.js';
import type { ModelMeta } from '../model-meta.js';

const HIDDEN_OPS = new Set([
  'Const',
  'NoOp',
  'Identity',
  'Shape',
  'Placeholder',
  'PlaceholderWithDefault',
  'StridedSlice',
  'Pack',
  'Cast',
]);
const strip = (s: string) => s.replace(/^\^/, '').replace(/:\d+$/, '');

/** A tfjs-converter GraphModel as a gradscope {@link Model}; layers are graph nodes, NHWC. */
export class TfjsGraphModel implements Model {
  readonly backend = 'tfjs';
  readonly capabilities: ReadonlySet<Capability> = new Set(TFJS_CAPABILITIES);
  readonly classes?: readonly string[];
  /** The final activation bypassed to expose logits, if any. */
  readonly bypassedActivation: string | null;
  /**
   * Whether `captureMany` runs input-gradient captures of different ReLU modes or targets as one
   * taped pass over the input stacked along the batch axis (needs a graph that takes a batch of any
   * size; see `captureMerged`). False: one taped pass per mode and target, numbers exactly `capture`'s.
   * Off by default on GraphModels: each row block's mode is applied along axis 0 at every ReLU, and an
   * arbitrary converted graph may move the batch off axis 0 (a LayersModel's layers never do).
   */
  stackReluModes = false;

  /** A warning when the input normalisation is unknown (see core's `Model.warnings`). */
  get warnings(): readonly string[] {
    return this.input.normalization ? [] : [unknownNormalizationWarning(this.name)];
  }

  get outputActivation(): 'softmax' | 'sigmoid' | undefined {
    const a = this.bypassedActivation;
    return a === 'softmax' || a === 'sigmoid' ? a : undefined;
  }

  private constructor(
    readonly name: string,
    readonly layers: readonly LayerInfo[],
    private readonly state: GraphModelState,
    private readonly meta: ModelMeta,
    bypassed: string | null,
    classes?: readonly string[],
  ) {
    this.bypassedActivation = bypassed;
    if (classes) this.classes = classes;
  }

  get input(): InputSpec {
    return this.state.input;
  }
  get numClasses(): number {
    return this.state.numClasses;
  }

  /** Wraps a loaded GraphModel whose (split) GraphDef is `topology`; the model then owns `gm`. */
  static async create(
    gm: tf.GraphModel,
    topology: { node: GraphDefNode[] },
    meta: ModelMeta = {},
  ): Promise<TfjsGraphModel> {
    if (gm.inputs.length !== 1)
      throw new UnsupportedModelError(
        `the graph model has ${gm.inputs.length} inputs; gradscope supports one image input`,
      );
    const inSig = gm.inputs[0]!;
    const inputName = strip(inSig.name);
    const shape = inSig.shape ?? [];
    if (shape.length !== 4)
      throw new UnsupportedModelError(
        `the graph model's input '${inputName}' has rank ${shape.length}; gradscope needs images [N, H, W, C]`,
      );
    const h = shape[1]! > 0 ? shape[1]! : meta.inputSize?.height;
    const w = shape[2]! > 0 ? shape[2]! : meta.inputSize?.width;
    if (h === undefined || w === undefined || !(shape[3]! > 0))
      throw new UnsupportedModelError(`the graph model's input size is dynamic; ${DYNAMIC_SIZE_HINT}`);
    const nodes = new Map(topology.node.map((n) => [n.name, n]));
    const head = probabilityHead(
      nodes,
      chooseOutput(
        gm.outputs.map((o) => strip(o.name)),
        meta.output,
      ),
    );
    const outputName = head.logits;
    const bypassed = head.activation;
    const fusedOps = topology.node
      .filter((n) => n.op.startsWith('_Fused') || n.op.startsWith('Fused'))
      .map((n) => n.name);
    const candidates = topology.node
      .filter(
        (n) =>
          (!HIDDEN_OPS.has(n.op) && !n.name.includes(SPLIT_SUFFIX) && !head.bypassed.includes(n.name)) ||
          n.name === outputName,
      )
      .map((n) => n.name);
    const probe = tf.tidy(() => {
      const outs = gm.execute({ [inputName]: tf.zeros([1, h, w, shape[3]!]) }, [
        ...new Set([...candidates, outputName]),
      ]) as tf.Tensor[];
      return outs.map((t) => ({ shape: t.shape, dtype: t.dtype }));
    });
    const names = [...new Set([...candidates, outputName])];
    const layers: LayerInfo[] = [
      {
        name: inputName,
        type: 'Placeholder',
        outputShape: [-1, h, w, shape[3]!],
        spatial: spatialOf([-1, h, w, shape[3]!]),
      },
    ];
    names.forEach((name, i) => {
      const p = probe[i]!;
      if (p.dtype !== 'float32' || (p.shape.length !== 2 && p.shape.length !== 4)) return;
      const outputShape = [-1, ...p.shape.slice(1)];
      layers.push({ name, type: nodes.get(name)!.op, outputShape, spatial: spatialOf(outputShape) });
    });
    const out = layers.find((l) => l.name === outputName);
    if (!out || out.outputShape.length !== 2)
      throw new UnsupportedModelError(`the graph model's output '${outputName}' is not logits [N, classes]`);
    const numClasses = out.outputShape[1]!;
    if (meta.classes && meta.classes.length !== numClasses)
      throw new UnsupportedModelError(
        `the sidecar lists ${meta.classes.length} classes but the model has ${numClasses} outputs`,
      );
    const input: InputSpec = {
      name: inputName,
      shape: [-1, h, w, shape[3]!],
      layout: 'NHWC',
      height: h,
      width: w,
      channels: shape[3]!,
      ...(meta.normalization ? { normalization: meta.normalization } : {}),
      ...(meta.channelOrder === 'bgr' ? { channelOrder: 'bgr' as const } : {}),
    };
    const listed = layers.map((l) => l.name);
    const keyOf = (l: string) => {
      if (!listed.includes(l)) throw new UnknownLayerError(l, listed);
      return l;
    };
    const state: GraphModelState = { gm, inputName, outputName, input, numClasses, order: listed, fusedOps, keyOf };
    return new TfjsGraphModel(meta.name ?? 'graph-model', layers, state, meta, bypassed, meta.classes);
  }

  async forward(x: Tensor): Promise<Tensor> {
    checkBatch(this.input, x);
    const s = this.state;
    return download(
      tf.tidy(() => s.gm.execute({ [s.inputName]: tf.tensor(x.data, [...x.shape]) }, s.outputName) as tf.Tensor),
    );
  }

  /** `rowModes` is internal (one ReLU mode per row block, used by `captureMany`'s stacked pass). */
  async capture(x: Tensor, request: CaptureRequest, rowModes?: readonly ReluMode[]): Promise<LayerHook> {
    const hook = await captureGraphModel(this.state, x, request, rowModes);
    if (!request.hessianVector) return hook;
    return { ...hook, hessianVectors: await graphHessianVectors(this.state, x, request, hook) };
  }

  /**
   * Several captures of `x`, merged: one forward for activations, and one taped pass for input
   * gradients, whose ReLU modes and targets are stacked along the batch axis when the model takes
   * a batch of any size (else one per mode and target; see `captureMerged`).
   */
  captureMany(x: Tensor, requests: readonly CaptureRequest[]): Promise<LayerHook[]> {
    return captureMerged((v, r, m) => this.capture(v, r, m), x, requests, this.stackReluModes && canStack(this));
  }

  async runFromLayer(x: Tensor, layer: string, activation: Tensor): Promise<Tensor> {
    const s = this.state;
    s.keyOf(layer);
    const info = this.layers.find((l) => l.name === layer)!;
    const nb = checkBatch(s.input, x);
    const want =
      info.outputShape.length === 4
        ? [-1, info.outputShape[3]!, info.outputShape[1]!, info.outputShape[2]!]
        : [...info.outputShape];
    const b = activation.shape[0] ?? 0;
    const ok =
      activation.shape.length === want.length && b >= 1 && activation.shape.every((d, i) => i === 0 || d === want[i]);
    if (!ok || (nb !== b && nb !== 1))
      throw new BadInputShapeError(want, activation.shape, `activation of layer '${layer}'`);
    return download(
      tf.tidy(() => {
        let xt: tf.Tensor = tf.tensor(x.data, [...x.shape]);
        if (nb !== b) xt = tf.tile(xt, [b, 1, 1, 1]);
        let a: tf.Tensor = tf.tensor(activation.data, [...activation.shape]);
        if (a.rank === 4) a = tf.transpose(a, [0, 2, 3, 1]);
        const feeds = layer === s.inputName ? { [s.inputName]: a } : { [s.inputName]: xt, [layer]: a };
        return s.gm.execute(feeds, s.outputName) as tf.Tensor;
      }),
    );
  }

  /**
   * A copy (a GraphModel loaded from this one's artifacts) with the weight constants feeding the
   * layers' nodes re-initialised (see `randomizedArtifacts`); this model is untouched. Dispose the copy.
   */
  async randomized(layers: readonly string[], options: RandomizeOptions): Promise<TfjsGraphModel> {
    if (this.disposed) throw new BadInputError(`model '${this.name}' has been disposed`);
    const s = this.state;
    for (const l of layers) if (l !== LOGITS_LAYER) s.keyOf(l);
    const own = (s.gm as unknown as { artifacts: tf.io.ModelArtifacts }).artifacts;
    const artifacts = randomizedArtifacts(own, s.outputName, layers, options.seed);
    const gm = await tf.loadGraphModel(tf.io.fromMemory(artifacts));
    try {
      return await TfjsGraphModel.create(gm, artifacts.modelTopology as { node: GraphDefNode[] }, {
        ...this.meta,
        name: this.name,
      });
    } catch (e) {
      gm.dispose();
      throw e;
    }
  }

  /** Releases the weights; calling it again does nothing. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.state.gm.dispose();
  }

  private disposed = false;
}
