import {
  BadInputError,
  BadInputShapeError,
  BadTargetError,
  LOGITS_LAYER,
  ModelLoadError,
  UnknownLayerError,
  resolveTarget,
  unknownNormalizationWarning,
  type Capability,
  type CaptureRequest,
  type InputSpec,
  type LayerHook,
  type LayerInfo,
  type LinearHead,
  type Model,
  type RandomizeOptions,
  type ResolvedTarget,
  type Target,
  type Tensor,
} from '@gradscope/core';
import { concatBatch, sliceBatch } from './batch.js';
import { MODEL_CAPABILITIES } from './capabilities.js';
import { seedFeed } from './capture/capture-feeds.js';
import { captureMany } from './capture/capture-many.js';
import { captureModel } from './capture/capture-model.js';
import { readCaptureOutputs } from './capture/capture-outputs.js';
import { onnxHessianVectors, type HessianDeps } from './capture/hessian-vector.js';
import type { ModelDeps } from './capture/model-deps.js';
import { biasTerms, splitBiasGradients, withBiasLayers } from './capture/bias-terms.js';
import { planCapture, type CapturePlan } from './capture/capture-plan.js';
import { mergeHooks } from './merge-hooks.js';
import { extractTail } from './graph/extract-tail.js';
import { findLinearHead } from './graph/linear-head.js';
import { listLayers, type LayerTable } from './graph/list-layers.js';
import { layersWeightedNodes, randomizedInitializers } from './graph/randomize-graph.js';
import { ModelSessions, type Derived } from './model-sessions.js';
import { inputSpec, type OnnxModelParts } from './onnx-model-parts.js';
import { OutputReader, releaseOutputs, toOrtTensor } from './ort-tensors.js';
import type { OrtSession, OrtTensor } from './ort-types.js';
import { firstLine } from './probe.js';
import type { SessionCache } from './session-cache.js';
import { checkTailInput, crossingFeeds } from './tail-feeds.js';

/**
 * A loaded ONNX classifier. Forward runs the model as is (a final Softmax stripped); captures run a
 * derived forward+backward model in ONE session.run, built for the request and cached (bounded LRU
 * keyed by layers, gradient needs and ReLU mode; evicted sessions are released).
 */
export class OnnxModel implements Model {
  readonly backend = 'onnx';
  readonly name: string;
  readonly input: InputSpec;
  readonly layers: readonly LayerInfo[];
  readonly numClasses: number;
  readonly outputShape?: readonly number[];
  readonly capabilities: ReadonlySet<Capability>;
  readonly head?: LinearHead;
  readonly outputActivation?: 'softmax' | 'sigmoid';
  readonly classes?: readonly string[];
  /** Derived sessions currently cached (for tests and diagnostics). */
  readonly cache: SessionCache<Derived>;
  private readonly table: LayerTable;
  private readonly staticBatch: boolean;
  private readonly sessions: ModelSessions;
  private readonly outputs = new OutputReader();
  private disposed = false;
  /** The logits of one image: `[K]`, or `[K, H, W]` class planes. */
  private readonly outputDims: readonly number[];

  constructor(private readonly parts: OnnxModelParts) {
    const { graph, facts } = parts;
    this.name = parts.name;
    this.staticBatch = graph.inputShape[0] === 1;
    this.input = inputSpec(parts, this.staticBatch);
    this.table = listLayers(graph, facts, !this.staticBatch);
    this.layers = this.table.layers;
    const out = facts.get(graph.outputName)!.shape;
    this.numClasses = out[1]!;
    this.outputDims = out.slice(1);
    if (out.length > 2) this.outputShape = this.outputDims;
    if (graph.strippedActivation) this.outputActivation = graph.strippedActivation;
    if (parts.classes) this.classes = parts.classes;
    // Name the feature layer as `autoLayer` does: the outermost module path of that tensor.
    const head = findLinearHead(
      graph,
      (t) => this.layers.filter((l) => this.table.tensorOf.get(l.name) === t).at(-1)?.name ?? t,
    );
    if (head) this.head = head;
    this.capabilities = new Set<Capability>([...MODEL_CAPABILITIES, ...(head ? (['linear-head'] as const) : [])]);
    this.sessions = new ModelSessions(parts.ort, parts.sessionOptions, parts.cacheSize, parts.cacheBytes);
    this.cache = this.sessions.cache;
  }

  /** Logit values per image (K, or K·H·W for class planes). */
  private get outputSize(): number {
    return this.outputDims.reduce((a, b) => a * b, 1);
  }

  /** A warning when the input normalisation is unknown (see core's `Model.warnings`). */
  get warnings(): readonly string[] {
    return this.input.normalization ? [] : [unknownNormalizationWarning(this.name)];
  }

  async forward(x: Tensor): Promise<Tensor> {
    this.checkInput(x);
    if (this.staticBatch && x.shape[0]! > 1) return concatBatch(await this.perImage(x, (xi) => this.forward(xi)));
    const { graph } = this.parts;
    const session = await this.forwardSession();
    const out = await this.sessions.run(session, { [graph.inputName]: this.toOrt(x) });
    return this.outputs.takeAndRelease(out, graph.outputName);
  }

  /**
   * The plain forward session, made on first use. A model whose shapes were inferred without a probe
   * meets onnxruntime here first: a session it refuses is a ModelLoadError, as the probe's would be.
   */
  private forwardSession(): Promise<OrtSession> {
    const { graph } = this.parts;
    return this.sessions
      .forwardSession(() => graph.derive({ node: graph.nodeProtos(), output: [{ name: graph.outputName }] }))
      .catch((e: unknown) => {
        throw new ModelLoadError(this.name, `onnxruntime cannot create a session (${firstLine(e)})`, { cause: e });
      });
  }

  async capture(x: Tensor, request: CaptureRequest): Promise<LayerHook> {
    if (!request.biasGradients) return this.captureLayers(x, request);
    const terms = biasTerms(this.parts.graph, this.parts.facts);
    const inner = withBiasLayers({ ...request, biasGradients: false }, terms);
    return splitBiasGradients(await this.captureLayers(x, inner), request, terms);
  }

  private async captureLayers(x: Tensor, req: CaptureRequest): Promise<LayerHook> {
    this.checkInput(x);
    const n = x.shape[0]!;
    if (req.targets.length !== n)
      throw new BadTargetError(`${req.targets.length} target(s) given for a batch of ${n} image(s)`);
    const plan = planCapture(
      req,
      req.layers.map((l) => this.tensorFor(l)),
    );
    if (this.staticBatch && n > 1) {
      const hooks = await this.perImage(x, (xi, i) => this.capture(xi, { ...req, targets: [req.targets[i]!] }));
      return mergeHooks(req.layers, hooks);
    }
    const resolved = plan.resolveFirst ? this.resolveTargets(req.targets, await this.forward(x)) : null;
    const zeros = new Float32Array(this.outputSize);
    const seeds = resolved?.map((r) => r.seed) ?? req.targets.map((t) => resolveTarget(t, zeros, this.outputDims).seed);
    const derived = await this.cache.get(plan.key, async () => {
      const { model, backward } = captureModel(this.parts, plan, req);
      const options = backward ? this.parts.backwardSessionOptions : this.parts.sessionOptions;
      const session = await this.sessions.create(model, options);
      if (!backward) return { session };
      const { model: _, ...outputs } = backward;
      return { session, backward: outputs };
    });
    const feeds: Record<string, OrtTensor> = {
      [this.parts.graph.inputName]: this.toOrt(x),
      ...(derived.backward
        ? seedFeed(this.parts.ort, derived.backward, seedInGraph(plan), req.targets, seeds, this.outputDims)
        : {}),
    };
    const out = await this.sessions.run(derived.session, feeds);
    const logits = this.outputs.take(out, this.parts.graph.outputName);
    const targets = resolved ?? this.resolveTargets(req.targets, logits);
    const captured = readCaptureOutputs(this.outputs, out, req, plan.tensors, derived.backward);
    releaseOutputs(out);
    const hook: LayerHook = { logits, targets, ...captured, dispose: () => undefined };
    if (!req.hessianVector) return hook;
    return { ...hook, hessianVectors: await onnxHessianVectors(this.hessianDeps(), x, req, hook) };
  }

  /** What the capture helpers share of this model. */
  private modelDeps(): ModelDeps {
    return {
      parts: this.parts,
      outputDims: this.outputDims,
      sessions: this.sessions,
      cache: this.cache,
      outputs: this.outputs,
      tensorFor: (l) => this.tensorFor(l),
      toOrt: (t) => this.toOrt(t),
    };
  }

  private hessianDeps(): HessianDeps {
    return { ...this.modelDeps(), capture: (v, r) => this.capture(v, r) };
  }

  /**
   * Several captures of `x` in one session.run: one forward and one backward branch per distinct
   * ReLU mode and target (see `captureMany` in capture/capture-many.ts). A single request, or a
   * batch on a model with a fixed batch of one, is captured request by request.
   */
  async captureMany(x: Tensor, requests: readonly CaptureRequest[]): Promise<LayerHook[]> {
    this.checkInput(x);
    const n = x.shape[0]!;
    if (
      requests.length < 2 ||
      (this.staticBatch && n > 1) ||
      requests.some((r) => r.hessianVector || r.biasGradients)
    ) {
      const hooks: LayerHook[] = [];
      for (const r of requests) hooks.push(await this.capture(x, r));
      return hooks;
    }
    for (const r of requests)
      if (r.targets.length !== n)
        throw new BadTargetError(`${r.targets.length} target(s) given for a batch of ${n} image(s)`);
    return captureMany(
      {
        ...this.modelDeps(),
        forward: (v) => this.forward(v),
        resolveTargets: (t, l) => this.resolveTargets(t, l),
      },
      x,
      requests,
    );
  }

  async runFromLayer(x: Tensor, layer: string, activation: Tensor): Promise<Tensor> {
    this.checkInput(x);
    const { graph, facts } = this.parts;
    const cut = this.tensorFor(layer);
    const m = checkTailInput(x, activation, facts.get(cut)!.shape, layer);
    const tail = await this.cache.get(`tail|${cut}`, async () => {
      const t = extractTail(graph, facts, cut);
      return { session: await this.sessions.create(t.model), crossing: t.crossing };
    });
    const runHead = async (inner: readonly string[]) => {
      const head = await this.cache.get(`head|${inner.join('\u0000')}`, async () => ({
        session: await this.sessions.create(
          graph.derive({ node: graph.nodeProtos(), output: inner.map((name) => ({ name })) }),
        ),
      }));
      return this.sessions.run(head.session, { [graph.inputName]: this.toOrt(x) });
    };
    const crossing = tail.crossing ?? [];
    const toOrt = (t: Tensor) => this.toOrt(t);
    const crossingFor = (act: number) =>
      crossingFeeds({ crossing, inputName: graph.inputName, layer, x, m: act, runHead, reader: this.outputs, toOrt });
    let extra: Record<string, OrtTensor> = {};
    if (crossing.length) {
      try {
        extra = await crossingFor(m);
      } catch (e) {
        // a non-float crossing tensor (e.g. a Shape) cannot be tiled: one tail run per activation
        if (!(e instanceof BadInputError) || m === 1 || x.shape[0] !== 1) throw e;
        const rows: Tensor[] = [];
        for (let i = 0; i < m; i++) rows.push(await this.runFromLayer(x, layer, sliceBatch(activation, i)));
        return concatBatch(rows);
      }
    }
    const feeds: Record<string, OrtTensor> = { [cut]: this.toOrt(activation), ...extra };
    const out = await this.sessions.run(tail.session, feeds);
    return this.outputs.takeAndRelease(out, graph.outputName);
  }

  /**
   * A copy with the initializers feeding the layers' Conv/ConvTranspose/Gemm/MatMul/BatchNormalization
   * nodes re-initialised (see `randomizedInitializers`), on sessions of its own; this model is untouched.
   */
  async randomized(layers: readonly string[], options: RandomizeOptions): Promise<OnnxModel> {
    this.checkInput(null);
    for (const l of layers) if (l !== LOGITS_LAYER) this.tensorFor(l);
    const { graph } = this.parts;
    const nodes = layersWeightedNodes(graph, this.table, layers);
    const copy = graph.withInitializers(randomizedInitializers(graph, nodes, options.seed));
    return new OnnxModel({ ...this.parts, graph: copy });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.sessions.dispose();
  }

  /** The graph tensor a layer name (tensor name or module path) stands for. */
  tensorFor(layer: string): string {
    if (layer.startsWith('\u0000bias:')) return layer.slice('\u0000bias:'.length);
    const t = this.table.tensorOf.get(layer);
    if (!t)
      throw new UnknownLayerError(
        layer,
        this.layers.map((l) => l.name),
      );
    return t;
  }

  private checkInput(x: Tensor | null): void {
    if (this.disposed) throw new BadInputError(`model '${this.name}' has been disposed`);
    if (!x) return;
    const want = this.input.shape;
    // any batch size: a fixed batch of one is run image by image
    const ok = x.shape.length === 4 && x.shape[0]! >= 1 && want.every((d, i) => i === 0 || d < 0 || x.shape[i] === d);
    if (!ok || x.data.length !== x.shape.reduce((a, b) => a * b, 1))
      throw new BadInputShapeError([-1, ...want.slice(1)], x.shape);
  }

  private async perImage<T>(x: Tensor, f: (xi: Tensor, i: number) => Promise<T>): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < x.shape[0]!; i++) out.push(await f(sliceBatch(x, i), i));
    return out;
  }

  private toOrt(t: Tensor): OrtTensor {
    return toOrtTensor(this.parts.ort, t);
  }

  /** Resolves one target per image against the logits of a batch. */
  private resolveTargets(targets: readonly Target[], logits: Tensor): ResolvedTarget[] {
    const K = this.outputSize;
    return targets.map((t, i) => resolveTarget(t, logits.data.subarray(i * K, (i + 1) * K), this.outputDims));
  }
}

/** How the seed of a capture's backward pass is fed: computed in the graph from a sign or a signed class, or fed as is. */
function seedInGraph(plan: CapturePlan): 'sign' | 'class' | null {
  if (plan.finer) return plan.finer.top ? 'sign' : 'class';
  return plan.argmax ? 'sign' : null;
}
