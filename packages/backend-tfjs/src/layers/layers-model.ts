import * as tf from '@tensorflow/tfjs';
import {
  LOGITS_LAYER,
  UnknownLayerError,
  UnsupportedModelError,
  unknownNormalizationWarning,
  chooseOutput,
  DYNAMIC_SIZE_HINT,
  BadInputError,
  type CaptureRequest,
  type Capability,
  type InputSpec,
  type LayerHook,
  type LayerInfo,
  type LinearHead,
  type Model,
  type ReluMode,
  canStack,
  type RandomizeOptions,
  type Tensor,
} from '@gradscope/core';
import { captureMerged } from '../capture-many.js';
import { TFJS_CAPABILITIES } from '../capabilities.js';
import { download } from '../download.js';
import { flattenModel, type FlatNode } from './flat-graph.js';
import { GraphRun } from './graph-run.js';
import { checkBatch } from '../input-check.js';
import { KernelFlipCache } from '../grad/kernel-flip-cache.js';
import { captureLayersModel, inferenceApply } from './layers-capture.js';
import { layersHessianVectors } from './layers-hessian.js';
import { logitsOf, type LayersModelState } from './layers-model-state.js';
import { listLayers } from './layer-list.js';
import { cloneLayersModel, randomizeLayers } from './randomize-layers.js';
import { findLinearHead } from './linear-head.js';
import { runLayersModelFromLayer } from './run-from-layer.js';
import type { ModelMeta } from '../model-meta.js';

const PROBABILITY = new Set(['softmax', 'sigmoid']);

/** A tfjs LayersModel (functional, Sequential, nested) as a gradscope {@link Model}. */
export class TfjsLayersModel implements Model {
  readonly backend = 'tfjs';
  readonly capabilities: ReadonlySet<Capability>;
  readonly classes?: readonly string[];
  readonly head?: LinearHead;
  readonly outputShape?: readonly number[];
  /** The final activation bypassed to expose logits (`softmax`, `sigmoid`), if any. */
  readonly bypassedActivation: string | null;
  /**
   * Whether `captureMany` runs input-gradient captures of different ReLU modes or targets as one
   * taped pass over the input stacked along the batch axis (needs a model that takes a batch of any
   * size; see `captureMerged`). False: one taped pass per mode and target, numbers exactly `capture`'s.
   */
  stackReluModes = true;

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
    readonly input: InputSpec,
    readonly layers: readonly LayerInfo[],
    readonly numClasses: number,
    private readonly state: LayersModelState,
    private readonly tfModel: tf.LayersModel,
    private readonly meta: ModelMeta,
    extras: { head: LinearHead | null; classes?: readonly string[]; bypassed: string | null },
  ) {
    if (state.outputDims.length > 1) this.outputShape = state.outputDims;
    if (extras.head) this.head = extras.head;
    if (extras.classes) this.classes = extras.classes;
    this.bypassedActivation = extras.bypassed;
    this.capabilities = new Set<Capability>([
      ...TFJS_CAPABILITIES,
      'training',
      'bias-gradients',
      ...(extras.head ? (['linear-head'] as const) : []),
    ]);
  }

  /** Wraps a loaded LayersModel (which the returned model then owns and disposes). */
  static async create(model: tf.LayersModel, meta: ModelMeta = {}): Promise<TfjsLayersModel> {
    const g = flattenModel(model);
    const nchw = g.nodes.find((n) => n.layer.dataFormat === 'channelsFirst');
    if (nchw)
      throw new UnsupportedModelError(
        `layer '${nchw.name}' (${nchw.type}) is channels-first; gradscope's tfjs backend supports channels-last (NHWC) models`,
      );
    const outputName = chooseOutput(
      g.outputs.map((o) => o.name),
      meta.output,
    );
    let outputKey = g.outputs.find((o) => o.name === outputName)!.key;
    let linearNode: FlatNode | null = null;
    let bypassed: string | null = null;
    const last = g.producer.get(outputKey);
    const act = last?.layer.activation?.getClassName();
    if (last && (last.type === 'Softmax' || (last.type === 'Activation' && act && PROBABILITY.has(act)))) {
      outputKey = last.inputs[0]!;
      bypassed = last.type === 'Softmax' ? 'softmax' : act!;
    } else if (last && last.type === 'Dense' && act && PROBABILITY.has(act) && last.shapes[0]!.length === 2) {
      linearNode = last;
      bypassed = act;
    }
    const shapes = await resolveShapes(g, outputKey, linearNode, meta);
    const { layers, keys } = listLayers(g, outputKey, (k) => shapes.get(k)!);
    const outShape = shapes.get(outputKey)!;
    if (outShape.length !== 2 && outShape.length !== 4)
      throw new UnsupportedModelError(
        `model '${model.name}' outputs shape [${outShape.join(', ')}]; gradscope needs logits [N, classes] or class planes [N, H, W, classes]`,
      );
    const inShape = shapes.get(g.inputKey)!;
    if (inShape.length !== 4)
      throw new UnsupportedModelError(
        `model '${model.name}' takes input of rank ${inShape.length}; gradscope needs images [N, H, W, C]`,
      );
    const input: InputSpec = {
      name: g.inputName,
      shape: inShape,
      layout: 'NHWC',
      height: inShape[1]!,
      width: inShape[2]!,
      channels: inShape[3]!,
      ...(meta.normalization ? { normalization: meta.normalization } : {}),
      ...(meta.channelOrder === 'bgr' ? { channelOrder: 'bgr' as const } : {}),
    };
    const names = [...keys.keys()];
    const keyOf = (l: string) => {
      const k = keys.get(l);
      if (k === undefined) throw new UnknownLayerError(l, names);
      return k;
    };
    // class planes [N, H, W, K] are seen channels-first, [K, H, W] (see `logitsOf`)
    const outputDims = outShape.length === 4 ? [outShape[3]!, outShape[1]!, outShape[2]!] : [outShape[1]!];
    const numClasses = outputDims[0]!;
    const state: LayersModelState = {
      graph: g,
      outputKey,
      linearNode,
      input,
      outputDims,
      flips: new KernelFlipCache(),
      keyOf,
    };
    const nameOfKey = (k: string) => layers.find((l) => keys.get(l.name) === k)?.name;
    const head = await findLinearHead(g, outputKey, linearNode, nameOfKey);
    if (meta.classes && meta.classes.length !== numClasses) {
      throw new UnsupportedModelError(
        `the sidecar lists ${meta.classes.length} classes but model '${model.name}' has ${numClasses} outputs`,
      );
    }
    return new TfjsLayersModel(meta.name ?? model.name, input, layers, numClasses, state, model, meta, {
      head,
      bypassed,
      ...(meta.classes ? { classes: meta.classes } : {}),
    });
  }

  async forward(x: Tensor): Promise<Tensor> {
    checkBatch(this.input, x);
    const s = this.state;
    return download(
      tf.tidy(() => {
        const xt = tf.tensor(x.data, [...x.shape]);
        const run = new GraphRun(s.graph, inferenceApply(s), new Map([[s.graph.inputKey, xt]]));
        run.compute([s.outputKey]);
        return logitsOf(run.memo.get(s.outputKey)!);
      }),
    );
  }

  /** `rowModes` is internal (one ReLU mode per row block, used by `captureMany`'s stacked pass). */
  async capture(x: Tensor, request: CaptureRequest, rowModes?: readonly ReluMode[]): Promise<LayerHook> {
    const hook = await captureLayersModel(this.state, x, request, rowModes);
    if (!request.hessianVector) return hook;
    return { ...hook, hessianVectors: await layersHessianVectors(this.state, x, request, hook) };
  }

  /**
   * Several captures of `x`, merged: one forward for activations, and one taped pass for input
   * gradients, whose ReLU modes and targets are stacked along the batch axis when the model takes
   * a batch of any size (else one per mode and target; see `captureMerged`).
   */
  captureMany(x: Tensor, requests: readonly CaptureRequest[]): Promise<LayerHook[]> {
    return captureMerged((v, r, m) => this.capture(v, r, m), x, requests, this.stackReluModes && canStack(this));
  }

  runFromLayer(x: Tensor, layer: string, activation: Tensor): Promise<Tensor> {
    this.state.keyOf(layer);
    return runLayersModelFromLayer(
      this.state,
      this.layers.find((l) => l.name === layer)!,
      x,
      activation,
    );
  }

  /**
   * A copy (its own weights, through an in-memory save and load) with the layers' weights
   * re-initialised (see `randomizeLayers`); this model is untouched. Dispose the copy.
   */
  async randomized(layers: readonly string[], options: RandomizeOptions): Promise<TfjsLayersModel> {
    if (this.disposed) throw new BadInputError(`model '${this.name}' has been disposed`);
    for (const l of layers) if (l !== LOGITS_LAYER) this.state.keyOf(l);
    const copy = await TfjsLayersModel.create(await cloneLayersModel(this.tfModel), {
      ...this.meta,
      name: this.name,
      ...(this.classes ? { classes: this.classes } : {}),
    });
    try {
      randomizeLayers(copy.state, layers, options.seed);
    } catch (e) {
      copy.dispose();
      throw e;
    }
    return copy;
  }

  /** Releases the weights and cached tensors; calling it again does nothing. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.state.flips.dispose();
    this.tfModel.dispose();
  }

  private disposed = false;
}

/** Output shape of every tensor (batch −1); dynamic sizes are found by one probe forward. */
async function resolveShapes(
  g: ReturnType<typeof flattenModel>,
  outputKey: string,
  linearNode: FlatNode | null,
  meta: ModelMeta,
): Promise<Map<string, number[]>> {
  const shapes = new Map<string, (number | null)[]>([[g.inputKey, [...g.inputShape]]]);
  for (const n of g.nodes) n.outputs.forEach((k, i) => shapes.set(k, [...n.shapes[i]!]));
  const dynamic = [...shapes.values()].some((s) => s.slice(1).some((d) => d === null));
  if (!dynamic) return new Map([...shapes].map(([k, s]) => [k, s.map((d) => d ?? -1)]));
  const size = meta.inputSize;
  const inShape = g.inputShape;
  const h = inShape[1] ?? size?.height;
  const w = inShape[2] ?? size?.width;
  if (inShape.length !== 4 || h == null || w == null || inShape[3] == null) {
    throw new UnsupportedModelError(
      `the model's input size is dynamic ([${inShape.map((d) => d ?? '?').join(', ')}]); ${DYNAMIC_SIZE_HINT}`,
    );
  }
  const state = { graph: g, outputKey, linearNode } as LayersModelState;
  const probe = tf.tidy(() => {
    const run = new GraphRun(g, inferenceApply(state), new Map([[g.inputKey, tf.zeros([1, h, w, inShape[3]!])]]));
    run.value(outputKey);
    return [...run.memo].map(([k, t]) => [k, t.shape] as const);
  });
  return new Map(probe.map(([k, s]) => [k, [-1, ...s.slice(1)]]));
}
