import {
  hessianTimes,
  seedTarget,
  targetHessian,
  type CaptureRequest,
  type LayerHook,
  type Tensor,
} from '@gradscope/core';
import { buildBackward } from '../grad/build-backward.js';
import { releaseOutputs } from '../ort-tensors.js';
import type { ModelDeps } from './model-deps.js';
import { scaledLayerGraph } from './scaled-layer.js';

/** Relative step of the central difference along A (see `onnxHessianVectors`). */
export const HVP_STEP = 1e-2;

/** What the Hessian-vector product uses of an OnnxModel. */
export interface HessianDeps extends ModelDeps {
  capture(x: Tensor, req: CaptureRequest): Promise<LayerHook>;
}

/**
 * `H·A` per requested layer (`CaptureRequest.hessianVector`), split as
 * `H·A = ∂/∂t [Jᵀσ](A + tA) + Jᵀ S (J·A)` — the network's curvature with the seed σ held fixed, plus
 * the target's (S = `targetHessian`, σ and S at the captured logits):
 * - the first term is a central difference of the layer gradient with the fixed seed, at (1 ± h)·A
 *   (`scaledLayerGraph`, h = `HVP_STEP`); it is exactly 0 where no unit downstream changes its ReLU /
 *   max-pool state between the two points (a piecewise-linear tail), else O(h²) plus the kinks crossed;
 * - `J·A` is the same central difference of the logits (float32 cancellation: about 1e-7·|y| / h), and
 *   `Jᵀ(S·J·A)` one exact backward pass with that seed (skipped when S = 0, e.g. logit targets).
 */
export async function onnxHessianVectors(
  d: HessianDeps,
  x: Tensor,
  req: CaptureRequest,
  hook: LayerHook,
): Promise<Map<string, Tensor>> {
  const K = d.outputDims.reduce((a, b) => a * b, 1);
  const n = hook.targets.length;
  const sigma = new Float32Array(n * K);
  hook.targets.forEach((r, i) => sigma.set(r.seed, i * K));
  const S = req.targets.map((t, i) => targetHessian(t, hook.logits.data.subarray(i * K, (i + 1) * K)));
  const curved = S.some((s) => s.some((v) => v !== 0));
  const out = new Map<string, Tensor>();
  for (const layer of new Set(req.layers)) {
    const tensor = d.tensorFor(layer);
    const up = await scaledRun(d, x, tensor, 1 + HVP_STEP, sigma);
    const down = await scaledRun(d, x, tensor, 1 - HVP_STEP, sigma);
    const hv = new Float32Array(up.gradient.data.length);
    for (let i = 0; i < hv.length; i++) hv[i] = (up.gradient.data[i]! - down.gradient.data[i]!) / (2 * HVP_STEP);
    if (curved) {
      const targets = S.map((s, i) => {
        const ja = new Float32Array(K);
        for (let k = 0; k < K; k++)
          ja[k] = (up.logits.data[i * K + k]! - down.logits.data[i * K + k]!) / (2 * HVP_STEP);
        return seedTarget(hessianTimes(s, ja));
      });
      const h = await d.capture(x, { layers: [layer], gradients: true, inputGradient: false, targets });
      try {
        const g = h.gradients.get(layer)!.data;
        for (let i = 0; i < hv.length; i++) hv[i] = hv[i]! + g[i]!;
      } finally {
        h.dispose();
      }
    }
    out.set(layer, { data: hv, shape: [...up.gradient.shape] });
  }
  return out;
}

/** Logits and d score / d layer with the layer's output scaled by `scale`, for a fixed seed. */
async function scaledRun(d: HessianDeps, x: Tensor, tensor: string, scale: number, seed: Float32Array) {
  const { parts } = d;
  const derived = await d.cache.get(`hvp|${scale}|${tensor}`, async () => {
    const scaled = scaledLayerGraph(parts.graph, parts.facts, tensor, scale);
    const backward = buildBackward(scaled.graph, scaled.facts, parts.rules, {
      layers: [tensor],
      gradients: true,
      inputGradient: false,
      reluMode: 'standard',
      maskByMultiply: parts.maskByMultiply,
    });
    return { session: await d.sessions.create(backward.model, parts.backwardSessionOptions), backward };
  });
  const backward = derived.backward!;
  const n = x.shape[0]!;
  const out = await d.sessions.run(derived.session, {
    [parts.graph.inputName]: d.toOrt(x),
    [backward.seed]: new parts.ort.Tensor('float32', seed, [n, ...d.outputDims]),
  });
  try {
    return {
      logits: d.outputs.take(out, parts.graph.outputName),
      gradient: d.outputs.take(out, backward.gradients[0]!),
    };
  } finally {
    releaseOutputs(out);
  }
}
