import type { BiasGradient, CaptureRequest, LayerHook, Tensor } from '@gradscope/core';
import type { OnnxGraph } from '../graph/onnx-graph.js';
import type { TensorFacts } from '../probe.js';

/** A bias of the network: the tensor it is added into, and its per-channel values. */
export interface BiasTerm {
  readonly node: string;
  readonly tensor: string;
  readonly bias: Float32Array;
}

/**
 * Every 2-D convolution with a constant bias, and every BatchNormalization with constant parameters
 * (effective bias `B − mean·scale/√(var + ε)`), in graph order: FullGrad's bias terms. A BN that the
 * export folded into the conv before it is that conv's bias (one term where torch has two).
 */
export function biasTerms(graph: OnnxGraph, facts: ReadonlyMap<string, TensorFacts>): BiasTerm[] {
  const out: BiasTerm[] = [];
  for (const n of graph.nodes) {
    const y = n.outputs[0];
    if (!y || facts.get(y)?.shape.length !== 4) continue;
    if (n.opType === 'Conv' && n.inputs[2]) {
      const b = graph.constant(n.inputs[2]);
      if (b) out.push({ node: n.name, tensor: y, bias: Float32Array.from(b.values) });
    } else if (n.opType === 'BatchNormalization') {
      const [scale, beta, mean, variance] = n.inputs.slice(1, 5).map((t) => graph.constant(t));
      if (!scale || !beta || !mean || !variance) continue;
      const eps = n.attrs.float('epsilon', 1e-5);
      const bias = Float32Array.from(
        beta.values,
        (v, c) => v - (mean.values[c]! * scale.values[c]!) / Math.sqrt(variance.values[c]! + eps),
      );
      out.push({ node: n.name, tensor: y, bias });
    }
  }
  return out;
}

/** The request a capture with `biasGradients` runs: the bias tensors appended as layers, with gradients. */
export function withBiasLayers(req: CaptureRequest, terms: readonly BiasTerm[]): CaptureRequest {
  return { ...req, gradients: true, layers: [...req.layers, ...terms.map((t) => `\u0000bias:${t.tensor}`)] };
}

/** Moves the bias tensors' gradients out of `hook` into `biasGradients`, leaving what `req` asked for. */
export function splitBiasGradients(hook: LayerHook, req: CaptureRequest, terms: readonly BiasTerm[]): LayerHook {
  const keep = (m: ReadonlyMap<string, Tensor>) => new Map(req.layers.map((l) => [l, m.get(l)!] as const));
  const biasGradients: BiasGradient[] = terms.map((t) => ({
    layer: t.node,
    bias: t.bias,
    gradient: hook.gradients.get(`\u0000bias:${t.tensor}`)!,
  }));
  return {
    ...hook,
    activations: keep(hook.activations),
    gradients: req.gradients ? keep(hook.gradients) : new Map(),
    biasGradients,
  };
}
