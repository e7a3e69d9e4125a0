import type { BackwardModel } from '../grad/backward-model.js';
import { buildBackward } from '../grad/build-backward.js';
import type { GradRuleRegistry } from '../grad/grad-registry.js';
import type { OnnxGraph } from '../graph/onnx-graph.js';
import type { TensorFacts } from '../probe.js';
import type { IModelProto } from '@gradscope/onnx-proto';
import type { CapturePlan } from './capture-plan.js';

/** What a derived capture model is built from. */
export interface CaptureModelParts {
  readonly graph: OnnxGraph;
  readonly facts: ReadonlyMap<string, TensorFacts>;
  readonly rules: GradRuleRegistry;
  readonly maskByMultiply: boolean;
}

/**
 * The model a capture runs: forward+backward (`buildBackward`) when the plan needs gradients,
 * otherwise the forward graph with the requested activations as extra outputs.
 */
export function captureModel(
  parts: CaptureModelParts,
  plan: CapturePlan,
  req: { readonly gradients: boolean; readonly inputGradient: boolean },
): { readonly model: IModelProto; readonly backward?: BackwardModel } {
  const { graph } = parts;
  if (!plan.needsBackward) {
    const output = [...new Set([graph.outputName, ...plan.tensors])].map((name) => ({ name }));
    return { model: graph.derive({ node: graph.nodeProtos(), output }) };
  }
  const backward = buildBackward(graph, parts.facts, parts.rules, {
    layers: plan.tensors,
    gradients: req.gradients,
    inputGradient: req.inputGradient,
    reluMode: plan.mode,
    rectifiers: plan.rectifiers,
    seedFromArgmax: plan.argmax,
    finerSeed: plan.finer ?? undefined,
    maskByMultiply: parts.maskByMultiply,
  });
  return { model: backward.model, backward };
}
