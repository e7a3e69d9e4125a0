import {
  createGradscope,
  missingCapabilities,
  resolveLayers,
  resolveOptions,
  validateTarget,
  MissingCapabilityError,
  type Gradscope,
  type Method,
  type Model,
  type Normalization,
  type OptionValues,
} from '@gradscope/core';
import { resolveMetricOptions, type Metric } from '@gradscope/metrics';
import { checkModelFile, loadModel, lookupBackend } from '../load-model.js';
import type { Wiring } from '../wiring.js';
import type { EvaluationSpec } from './evaluation-spec.js';
import { selectMetrics } from './metric-selection.js';

/** A model loaded once with everything resolved: what `evaluateJob` runs on. */
export interface LoadedEvaluator {
  readonly spec: EvaluationSpec;
  readonly gs: Gradscope;
  readonly model: Model;
  readonly methods: ReadonlyMap<string, { readonly method: Method; readonly options: OptionValues }>;
  readonly metrics: readonly { readonly metric: Metric<any>; readonly options: Readonly<Record<string, unknown>> }[];
  /** Resolved layer names (empty when no method uses layers). */
  readonly layers: readonly string[];
  readonly normalization: Normalization;
  dispose(): Promise<void>;
}

const IDENTITY: Normalization = { mean: [0, 0, 0], std: [1, 1, 1] };

/**
 * Loads `spec.model` on its backend and checks everything before any image is read: method ids and
 * their capabilities, method and metric options, layers, target. The caller disposes it.
 */
export async function loadEvaluator(spec: EvaluationSpec, wiring: Wiring): Promise<LoadedEvaluator> {
  const gs = createGradscope({ backends: wiring.backends, methods: wiring.methods });
  let model: Model | undefined;
  try {
    const metrics = selectMetrics(spec.metrics, wiring.metrics ?? [], { masks: true }).map((metric) => ({
      metric,
      options: spec.metricOptions[metric.id] ?? {},
    }));
    for (const m of metrics) resolveMetricOptions(m.metric, m.options);
    const methods = spec.methods.map((id) => gs.method(id));
    const backend = lookupBackend(gs, spec.backend);
    await checkModelFile(spec.model, spec.modelLabel);
    model = await loadModel(backend, spec.model, spec.modelLabel, spec.load);
    const m = model;
    const resolved = new Map(
      methods.map((method) => {
        const missing = missingCapabilities(method, m.capabilities);
        if (missing.length) throw new MissingCapabilityError(method.id, m.backend, missing, m.name);
        return [method.id, { method, options: resolveOptions(method, spec.methodOptions[method.id] ?? {}) }] as const;
      }),
    );
    const layers = methods.some((x) => x.usesLayers) ? resolveLayers(m, spec.layers) : [];
    validateTarget(spec.target, m.numClasses);
    return {
      spec,
      gs,
      model: m,
      methods: resolved,
      metrics,
      layers,
      normalization: spec.normalization ?? m.input.normalization ?? IDENTITY,
      async dispose() {
        await m.dispose();
        await gs.dispose();
      },
    };
  } catch (e) {
    await model?.dispose();
    await gs.dispose();
    throw e;
  }
}
