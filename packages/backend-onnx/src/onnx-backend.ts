import {
  BadInputShapeError,
  ModelLoadError,
  scaledNormalization,
  DYNAMIC_SIZE_HINT,
  type Backend,
  type Layout,
  type LoadOptions,
  type ModelSource,
} from '@gradscope/core';
import { BACKEND_CAPABILITIES } from './capabilities.js';
import type { GradRule } from './grad/grad-rule.js';
import { GradRuleRegistry } from './grad/grad-registry.js';
import { builtinGradRules } from './grad/rules/index.js';
import { OnnxGraph } from './graph/onnx-graph.js';
import { readModelSource } from './load-source.js';
import { readOnnxSidecar } from './read-sidecar.js';
import { OnnxModel } from './onnx-model.js';
import type { OrtRuntime } from './ort-types.js';
import { inferFacts } from './infer-shapes.js';
import { probeGraph } from './probe.js';

export interface OnnxBackendOptions {
  /** The runtime: `import * as ort from 'onnxruntime-web'` or `'onnxruntime-node'`. */
  readonly ort: OrtRuntime;
  /** Passed to every `InferenceSession.create` (execution providers, threads, ...). */
  readonly sessionOptions?: Record<string, unknown>;
  /** Derived (forward+backward, tail) sessions kept per model; least recently used are released. Default 6. */
  readonly cacheSize?: number;
  /**
   * Most weight bytes (the initializers of the models they were made from) that cached derived
   * sessions may hold together; least recently used are released first, the newest always stays.
   * Default 1 GiB (ResNet-50's derived models hold 100–180 MB each, VGG-16's over 500 MB).
   */
  readonly cacheBytes?: number;
  /** Extra gradient rules (a rule for an op that has a built-in one throws). */
  readonly gradRules?: readonly GradRule[];
  /** Reads a file path (the Node entry supplies one). */
  readonly readPath?: (path: string) => Promise<Uint8Array>;
}

/** The ONNX backend: a Backend plus its gradient-rule registry. */
export interface OnnxBackend extends Backend {
  readonly id: 'onnx';
  load(source: ModelSource, options?: LoadOptions): Promise<OnnxModel>;
  /** Adds a gradient rule for an operator (see README, "Adding a gradient rule"). */
  registerGradRule(rule: GradRule): void;
  /** Operators with a gradient rule. */
  gradRules(): string[];
}

/**
 * The session options for derived models with a backward pass: the same, minus the WebGPU
 * execution provider (wasm instead). onnxruntime-web 1.30's WebGPU kernels give wrong gradients
 * here (measured in Debian's Chromium, software adapter): its MaxPool leaves the Indices output
 * empty (the run fails), its ConvTranspose with asymmetric pads returns wrong values, and even a
 * backward pass without those two operators (MaxPool compared window by window, strided convs as
 * polyphase Convs) gave resnet18 a standard-mode input gradient with cosine 0.001 to torch's. So
 * forward passes, activations and run-from-layer tails run on WebGPU, backward passes on wasm.
 */
function withoutWebGpu(o: Record<string, unknown>): Record<string, unknown> {
  const eps = o['executionProviders'];
  if (!Array.isArray(eps)) return o;
  const isWebGpu = (e: unknown) =>
    e === 'webgpu' || (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'webgpu');
  if (!eps.some(isWebGpu)) return o;
  const rest = eps.filter((e) => !isWebGpu(e));
  return { ...o, executionProviders: rest.length ? rest : ['wasm'] };
}

/**
 * The input's layout: channels-last when the last axis has 1, 3 or 4 entries and the second does
 * not (Keras models through tf2onnx take [N, H, W, C]); otherwise channels-first. A tiny 4×4
 * channels-last input would be read as channels-first.
 */
function inputLayout(shape: readonly number[]): Layout {
  const small = (d: number | undefined) => d === 1 || d === 3 || d === 4;
  return shape.length === 4 && small(shape[3]) && !small(shape[1]) ? 'NHWC' : 'NCHW';
}

/** [-1, …] in the model's layout. */
function inModelLayout(layout: Layout, c: number, h: number, w: number): number[] {
  return layout === 'NHWC' ? [-1, h, w, c] : [-1, c, h, w];
}

/**
 * Creates the `onnx` backend on an injected onnxruntime (web or node). Loading decodes the model,
 * infers every tensor's shape from the graph (or, for operators `inferFacts` has no rule for, probes
 * them with one run) and lists layers; gradients come from derived models
 * with a backward pass of ordinary ONNX operators.
 */
export function createOnnxBackend(options: OnnxBackendOptions): OnnxBackend {
  const sessionOptions = { graphOptimizationLevel: 'all', ...(options.sessionOptions ?? {}) };
  const rules = new GradRuleRegistry([...builtinGradRules, ...(options.gradRules ?? [])]);
  const backwardSessionOptions = withoutWebGpu(sessionOptions);
  // onnxruntime-node's Where is slow, its Mul fast; onnxruntime-web the other way round
  const maskByMultiply = typeof options.ort.env?.versions?.['node'] === 'string';
  return {
    id: 'onnx',
    capabilities: BACKEND_CAPABILITIES,
    registerGradRule: (rule) => rules.register(rule),
    gradRules: () => rules.list(),
    async load(source, loadOptions = {}) {
      const { bytes, label } = await readModelSource(source, options.readPath);
      const side = await readOnnxSidecar(source, label, options.readPath);
      const graph = OnnxGraph.parse(bytes, label, loadOptions.output);
      const layout = inputLayout(graph.inputShape);
      const [c, h, w] = (layout === 'NHWC' ? [3, 1, 2] : [1, 2, 3]).map((i) => graph.inputShape[i] ?? -1) as [
        number,
        number,
        number,
      ];
      const size = loadOptions.inputSize ?? side.inputSize;
      if (size && ((h > 0 && h !== size.height) || (w > 0 && w !== size.width))) {
        throw new BadInputShapeError(
          inModelLayout(layout, c, h, w),
          inModelLayout(layout, c, size.height, size.width),
          'inputSize',
        );
      }
      const height = h > 0 ? h : size?.height;
      const width = w > 0 ? w : size?.width;
      if (!height || !width)
        throw new ModelLoadError(label, `input '${graph.inputName}' has a dynamic height/width; ${DYNAMIC_SIZE_HINT}`);
      const channels = c > 0 ? c : 3;
      const batch = graph.inputShape[0] === 1 ? 1 : 2;
      const dims = [batch, ...inModelLayout(layout, channels, height, width).slice(1)];
      // shapes from the graph when its operators allow (no session at load), else from a probe session
      const facts = inferFacts(graph, dims) ?? (await probeGraph(options.ort, graph, dims, sessionOptions, label));
      const logits = facts.get(graph.outputName);
      if (!logits || (logits.shape.length !== 2 && logits.shape.length !== 4))
        throw new ModelLoadError(
          label,
          `output '${graph.outputName}' must be logits [N, classes] or class planes [N, classes, H, W], got [${logits?.shape.join(', ') ?? '?'}]`,
        );
      const normalization = loadOptions.normalization ?? scaledNormalization(side.normalization, side.pixelRange);
      const numClasses = logits.shape[1]!;
      if (side.classes && side.classes.length !== numClasses)
        throw new ModelLoadError(
          label,
          `the sidecar lists ${side.classes.length} classes but the model has ${numClasses} outputs`,
        );
      const model = new OnnxModel({
        ort: options.ort,
        graph,
        facts,
        rules,
        sessionOptions,
        backwardSessionOptions,
        maskByMultiply,
        cacheSize: options.cacheSize ?? 6,
        cacheBytes: options.cacheBytes ?? 2 ** 30,
        name:
          label
            .split(/[\\/]/)
            .pop()!
            .replace(/\.onnx$/i, '') || 'model',
        layout,
        channels,
        height,
        width,
        ...(normalization ? { normalization } : {}),
        ...(side.classes ? { classes: side.classes } : {}),
        ...((loadOptions.channelOrder ?? side.channelOrder) === 'bgr' ? { channelOrder: 'bgr' as const } : {}),
      });
      if (!model.layers.some((l) => l.spatial && l.spatial.height * l.spatial.width > 1)) {
        await model.dispose();
        throw new ModelLoadError(
          label,
          'no layer has a spatial (NCHW) output; gradscope needs a convolutional network',
        );
      }
      return model;
    },
  };
}
