import { BadInputShapeError, ModelLoadError, type Backend, type Capability, type LoadOptions, type ModelSource } from '@gradscope/core';
import type { GradRule } from './grad/grad-rule.js';
import { GradRuleRegistry } from './grad/grad-registry.js';
import { builtinGradRules } from './grad/rules/index.js';
import { OnnxGraph } from './graph/onnx-graph.js';
import { readModelSource } from './load-source.js';
import { OnnxModel } from './onnx-model.js';
import type { OrtRuntime } from './ort-types.js';
import { probeGraph } from './probe.js';

export interface OnnxBackendOptions {
  /** The runtime: `import * as ort from 'onnxruntime-web'` or `'onnxruntime-node'`. */
  readonly ort: OrtRuntime;
  /** Passed to every `InferenceSession.create` (execution providers, threads, ...). */
  readonly sessionOptions?: Record<string, unknown>;
  /** Derived (forward+backward, tail) sessions kept per model; least recently used are released. Default 6. */
  readonly cacheSize?: number;
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

const CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>([
  'activations', 'layer-gradients', 'input-gradients', 'relu-guided', 'relu-deconvnet', 'batched-forward', 'run-from-layer', 'linear-head',
]);

/**
 * Creates the `onnx` backend on an injected onnxruntime (web or node). Loading decodes the model,
 * probes every tensor's shape with one run and lists layers; gradients come from derived models
 * with a backward pass of ordinary ONNX operators.
 */
export function createOnnxBackend(options: OnnxBackendOptions): OnnxBackend {
  const rules = new GradRuleRegistry([...builtinGradRules, ...(options.gradRules ?? [])]);
  const sessionOptions = { graphOptimizationLevel: 'all', ...(options.sessionOptions ?? {}) };
  return {
    id: 'onnx',
    capabilities: CAPABILITIES,
    registerGradRule: (rule) => rules.register(rule),
    gradRules: () => rules.list(),
    async load(source, loadOptions = {}) {
      const { bytes, label } = await readModelSource(source, options.readPath);
      const graph = OnnxGraph.parse(bytes, label);
      const [, c, h, w] = graph.inputShape as [number, number, number, number];
      if (c > 4 && (w === 1 || w === 3 || w === 4)) {
        throw new ModelLoadError(label, `input '${graph.inputName}' [${graph.inputShape.join(', ')}] looks channels-last (NHWC); this backend needs an NCHW input`);
      }
      const size = loadOptions.inputSize;
      if (size && ((h > 0 && h !== size.height) || (w > 0 && w !== size.width))) {
        throw new BadInputShapeError([-1, graph.inputShape[1]!, h, w], [-1, graph.inputShape[1]!, size.height, size.width], 'inputSize');
      }
      const height = h > 0 ? h : size?.height;
      const width = w > 0 ? w : size?.width;
      if (!height || !width) throw new ModelLoadError(label, `input '${graph.inputName}' has a dynamic height/width; pass inputSize`);
      const channels = graph.inputShape[1]! > 0 ? graph.inputShape[1]! : 3;
      const batch = graph.inputShape[0] === 1 ? 1 : 2;
      const facts = await probeGraph(options.ort, graph, [batch, channels, height, width], sessionOptions, label);
      const logits = facts.get(graph.outputName);
      if (!logits || logits.shape.length !== 2) throw new ModelLoadError(label, `output '${graph.outputName}' must be logits [N, classes], got [${logits?.shape.join(', ') ?? '?'}]`);
      const model = new OnnxModel({
        ort: options.ort, graph, facts, rules, sessionOptions, cacheSize: options.cacheSize ?? 6,
        name: label.split(/[\\/]/).pop()!.replace(/\.onnx$/i, '') || 'model', height, width,
        ...(loadOptions.normalization ? { normalization: loadOptions.normalization } : {}),
      });
      if (!model.layers.some((l) => l.spatial && l.spatial.height * l.spatial.width > 1)) {
        await model.dispose();
        throw new ModelLoadError(label, 'no layer has a spatial (NCHW) output; gradscope needs a convolutional network');
      }
      return model;
    },
  };
}
