import {
  BadInputError,
  BadInputShapeError,
  BadTargetError,
  UnknownLayerError,
  resolveTarget,
  type Capability,
  type CaptureRequest,
  type InputSpec,
  type Layout,
  type LayerHook,
  type LayerInfo,
  type LinearHead,
  type Model,
  type Normalization,
  type ResolvedTarget,
  type Target,
  type Tensor,
} from '@gradscope/core';
import { concatBatch, sliceBatch, tileBatch } from './batch.js';
import { exclusive } from './exclusive.js';
import { mergeHooks } from './merge-hooks.js';
import type { BackwardModel } from './grad/backward-model.js';
import { buildBackward } from './grad/build-backward.js';
import type { GradRuleRegistry } from './grad/grad-registry.js';
import { extractTail } from './graph/extract-tail.js';
import { findLinearHead } from './graph/linear-head.js';
import { listLayers, type LayerTable } from './graph/list-layers.js';
import type { OnnxGraph } from './graph/onnx-graph.js';
import type { OrtRuntime, OrtSession, OrtTensor } from './ort-types.js';
import type { TensorFacts } from './probe.js';
import { encodeModel } from './proto/onnx-proto.js';
import { SessionCache } from './session-cache.js';

/** Everything a loaded model is made from. */
export interface OnnxModelParts {
  readonly ort: OrtRuntime;
  readonly graph: OnnxGraph;
  readonly facts: ReadonlyMap<string, TensorFacts>;
  readonly rules: GradRuleRegistry;
  readonly sessionOptions: Record<string, unknown>;
  /** Apply ReLU masks by multiplication (onnxruntime-node; see `BackwardRequest.maskByMultiply`). */
  readonly maskByMultiply: boolean;
  /** For derived models with a backward pass (see `withoutWebGpu` in onnx-backend.ts). */
  readonly backwardSessionOptions: Record<string, unknown>;
  readonly cacheSize: number;
  readonly name: string;
  /** The input's layout (channels-first, or channels-last for e.g. tf2onnx exports of Keras models). */
  readonly layout: Layout;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly normalization?: Normalization;
}

interface Derived {
  readonly session: OrtSession;
  readonly backward?: BackwardModel;
  readonly crossing?: readonly string[];
}

const ALL: readonly Capability[] = [
  'activations',
  'layer-gradients',
  'input-gradients',
  'relu-guided',
  'relu-deconvnet',
  'batched-forward',
  'run-from-layer',
];

/** True when a target's seed does not depend on the logits (a given class, or a seed vector). */
const seedIsFixed = (t: Target) => t.kind === 'seed' || (t.kind === 'class' && t.index !== undefined);

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
  readonly capabilities: ReadonlySet<Capability>;
  readonly head?: LinearHead;
  /** Derived sessions currently cached (for tests and diagnostics). */
  readonly cache: SessionCache<Derived>;
  private readonly table: LayerTable;
  private readonly staticBatch: boolean;
  private forwardSession: Promise<OrtSession> | null = null;
  /** Output buffers already handed over as a Tensor's data (a second take copies). */
  private readonly handed = new WeakSet<ArrayBufferLike>();
  private disposed = false;

  constructor(private readonly parts: OnnxModelParts) {
    const { graph, facts } = parts;
    this.name = parts.name;
    this.staticBatch = graph.inputShape[0] === 1;
    const { channels, height, width, layout } = parts;
    this.input = {
      name: graph.inputName,
      shape: [
        this.staticBatch ? 1 : -1,
        ...(layout === 'NHWC' ? [height, width, channels] : [channels, height, width]),
      ],
      layout,
      height: parts.height,
      width: parts.width,
      channels,
      ...(parts.normalization ? { normalization: parts.normalization } : {}),
    };
    this.table = listLayers(graph, facts, !this.staticBatch);
    this.layers = this.table.layers;
    this.numClasses = facts.get(graph.outputName)!.shape[1]!;
    const head = findLinearHead(graph);
    if (head) {
      // Name the feature layer as `autoLayer` does: the outermost module path of that tensor.
      const names = this.layers.filter((l) => this.table.tensorOf.get(l.name) === head.featureLayer);
      this.head = { ...head, featureLayer: names.at(-1)?.name ?? head.featureLayer };
    }
    this.capabilities = new Set<Capability>([...ALL, ...(head ? (['linear-head'] as const) : [])]);
    this.cache = new SessionCache(parts.cacheSize, (d) => exclusive(parts.ort, () => d.session.release()));
  }

  async forward(x: Tensor): Promise<Tensor> {
    this.checkInput(x);
    if (this.staticBatch && x.shape[0]! > 1) return concatBatch(await this.perImage(x, (xi) => this.forward(xi)));
    const session = await this.getForwardSession();
    const out = await this.run(session, { [this.parts.graph.inputName]: this.toOrt(x) });
    return this.takeAndRelease(out, this.parts.graph.outputName);
  }

  async capture(x: Tensor, req: CaptureRequest): Promise<LayerHook> {
    this.checkInput(x);
    const n = x.shape[0]!;
    if (req.targets.length !== n)
      throw new BadTargetError(`${req.targets.length} target(s) given for a batch of ${n} image(s)`);
    const tensors = req.layers.map((l) => this.tensorFor(l));
    if (this.staticBatch && n > 1) {
      const hooks = await this.perImage(x, (xi, i) => this.capture(xi, { ...req, targets: [req.targets[i]!] }));
      return mergeHooks(req.layers, hooks);
    }
    const mode = req.reluMode ?? 'standard';
    const needsBackward = req.gradients || req.inputGradient;
    // Top-1 class targets get their seed inside the graph (no extra forward); other targets whose
    // seed depends on the logits (softmax, mixed batches) are resolved from a forward pass first.
    const argmax = needsBackward && req.targets.every((t) => t.kind === 'class' && t.index === undefined);
    let resolved: ResolvedTarget[] | null = null;
    if (needsBackward && !argmax && !req.targets.every(seedIsFixed)) {
      const logits = await this.forward(x);
      resolved = req.targets.map((t, i) =>
        resolveTarget(t, logits.data.subarray(i * this.numClasses, (i + 1) * this.numClasses)),
      );
    }
    const zeros = new Float32Array(this.numClasses);
    const seeds = resolved?.map((r) => r.seed) ?? req.targets.map((t) => resolveTarget(t, zeros).seed);
    const key = `${needsBackward ? (argmax ? 'bw-top' : 'bw') : 'act'}|${mode}|g${+req.gradients}|i${+req.inputGradient}|${tensors.join('\u0000')}`;
    const derived = await this.cache.get(key, async () => {
      const backward = needsBackward
        ? buildBackward(this.parts.graph, this.parts.facts, this.parts.rules, {
            layers: tensors,
            gradients: req.gradients,
            inputGradient: req.inputGradient,
            reluMode: mode,
            seedFromArgmax: argmax,
            maskByMultiply: this.parts.maskByMultiply,
          })
        : undefined;
      const model =
        backward?.model ??
        this.parts.graph.derive({
          node: this.parts.graph.nodeProtos(),
          output: [...new Set([this.parts.graph.outputName, ...tensors])].map((name) => ({ name })),
        });
      return {
        session: await this.createSession(
          encodeModel(model),
          backward ? this.parts.backwardSessionOptions : this.parts.sessionOptions,
        ),
        backward,
      };
    });
    const feeds: Record<string, OrtTensor> = { [this.parts.graph.inputName]: this.toOrt(x) };
    if (derived.backward && argmax) {
      feeds[derived.backward.seed] = new this.parts.ort.Tensor(
        'float32',
        Float32Array.from(req.targets, (t) => (t.negate ? -1 : 1)),
        [n, 1],
      );
    } else if (derived.backward) {
      const seed = new Float32Array(n * this.numClasses);
      seeds.forEach((s, i) => seed.set(s, i * this.numClasses));
      feeds[derived.backward.seed] = new this.parts.ort.Tensor('float32', seed, [n, this.numClasses]);
    }
    const out = await this.run(derived.session, feeds);
    const logits = this.take(out, this.parts.graph.outputName);
    const targets =
      resolved ??
      req.targets.map((t, i) => resolveTarget(t, logits.data.subarray(i * this.numClasses, (i + 1) * this.numClasses)));
    const activations = new Map<string, Tensor>();
    const gradients = new Map<string, Tensor>();
    req.layers.forEach((l, k) => {
      activations.set(l, this.take(out, tensors[k]!));
      if (derived.backward && req.gradients) gradients.set(l, this.take(out, derived.backward.gradients[k]!));
    });
    const inputGradient = derived.backward?.inputGradient ? this.take(out, derived.backward.inputGradient) : undefined;
    for (const v of Object.values(out)) v.dispose?.();
    return {
      logits,
      targets,
      activations,
      gradients,
      ...(inputGradient ? { inputGradient } : {}),
      dispose: () => undefined,
    };
  }

  async runFromLayer(x: Tensor, layer: string, activation: Tensor): Promise<Tensor> {
    this.checkInput(x);
    const cut = this.tensorFor(layer);
    const want = this.parts.facts.get(cut)!.shape.slice(1);
    const m = activation.shape[0]!;
    if (activation.shape.length !== want.length + 1 || want.some((d, i) => activation.shape[i + 1] !== d)) {
      throw new BadInputShapeError([-1, ...want], activation.shape, `activation for layer '${layer}'`);
    }
    const n = x.shape[0]!;
    if (n !== m && n !== 1)
      throw new BadInputError(
        `runFromLayer: ${n} images but ${m} activations; give one image or one activation per image`,
      );
    const tail = await this.cache.get(`tail|${cut}`, async () => {
      const t = extractTail(this.parts.graph, this.parts.facts, cut);
      return { session: await this.createSession(encodeModel(t.model)), crossing: t.crossing };
    });
    const feeds: Record<string, OrtTensor> = { [cut]: this.toOrt(activation) };
    const crossing = tail.crossing ?? [];
    if (crossing.length) {
      const inner = crossing.filter((c) => c !== this.parts.graph.inputName);
      const values = new Map<string, Tensor>();
      if (crossing.includes(this.parts.graph.inputName)) values.set(this.parts.graph.inputName, x);
      if (inner.length) {
        const head = await this.cache.get(`head|${inner.join('\u0000')}`, async () => ({
          session: await this.createSession(
            encodeModel(
              this.parts.graph.derive({ node: this.parts.graph.nodeProtos(), output: inner.map((name) => ({ name })) }),
            ),
          ),
        }));
        const out = await this.run(head.session, { [this.parts.graph.inputName]: this.toOrt(x) });
        for (const c of inner) {
          const t = out[c]!;
          if (t.type !== 'float32') {
            if (n !== m)
              throw new BadInputError(
                `runFromLayer from '${layer}' needs one image per activation (the tail reads the non-float tensor '${c}')`,
              );
            feeds[c] = t;
          } else values.set(c, this.take(out, c));
        }
      }
      for (const [c, v] of values) feeds[c] = this.toOrt(n === m ? v : tileBatch(v, m));
    }
    const out = await this.run(tail.session, feeds);
    return this.takeAndRelease(out, this.parts.graph.outputName);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.cache.clear();
    if (this.forwardSession) {
      const s = await this.forwardSession;
      await exclusive(this.parts.ort, () => s.release());
    }
    this.forwardSession = null;
  }

  /** The graph tensor a layer name (tensor name or module path) stands for. */
  tensorFor(layer: string): string {
    const t = this.table.tensorOf.get(layer);
    if (!t)
      throw new UnknownLayerError(
        layer,
        this.layers.map((l) => l.name),
      );
    return t;
  }

  private checkInput(x: Tensor): void {
    if (this.disposed) throw new BadInputError(`model '${this.name}' has been disposed`);
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

  private getForwardSession(): Promise<OrtSession> {
    this.forwardSession ??= this.createSession(
      encodeModel(
        this.parts.graph.derive({
          node: this.parts.graph.nodeProtos(),
          output: [{ name: this.parts.graph.outputName }],
        }),
      ),
    );
    return this.forwardSession;
  }

  private createSession(bytes: Uint8Array, options = this.parts.sessionOptions): Promise<OrtSession> {
    return exclusive(this.parts.ort, () => this.parts.ort.InferenceSession.create(bytes, options));
  }

  private run(session: OrtSession, feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>> {
    return exclusive(this.parts.ort, () => session.run(feeds));
  }

  private toOrt(t: Tensor): OrtTensor {
    const d = t.data.byteOffset || t.data.byteLength !== t.data.buffer.byteLength ? t.data.slice() : t.data;
    return new this.parts.ort.Tensor('float32', d, t.shape);
  }

  /** Copies one output and disposes every output tensor. */
  private takeAndRelease(out: Record<string, OrtTensor>, name: string): Tensor {
    const t = this.take(out, name);
    for (const v of Object.values(out)) v.dispose?.();
    return t;
  }

  private take(out: Record<string, OrtTensor>, name: string): Tensor {
    const t = out[name];
    if (!t) throw new Error(`internal: onnxruntime returned no output '${name}'`);
    const d = t.data as Float32Array;
    // onnxruntime copies each output out of native or wasm memory into a buffer of its own: hand that
    // buffer over instead of copying it again (once; a view into shared memory is always copied).
    const own =
      d.byteOffset === 0 &&
      d.byteLength === d.buffer.byteLength &&
      d.buffer instanceof ArrayBuffer &&
      !this.handed.has(d.buffer);
    if (own) this.handed.add(d.buffer);
    return { data: own ? d : new Float32Array(d), shape: [...t.dims] };
  }
}
