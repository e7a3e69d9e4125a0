import { captureKey, resolveTarget, type CaptureRequest, type LayerHook, type Tensor } from '@gradscope/core';

type Capture = (x: Tensor, request: CaptureRequest) => Promise<LayerHook>;

/**
 * How a capture runs on tfjs (see `captureLayersModel`): `full` is one taped forward from the input
 * with identity taps on the layers, whose numbers do not depend on which layers are tapped; `tail`
 * differentiates from the earliest requested layers, so its numbers depend on the layer set;
 * `activations` is one forward without a tape.
 */
function groupKey(r: CaptureRequest): string {
  if (r.hessianVector || r.biasGradients) return `own|${captureKey(r)}`;
  if (r.inputGradient) return `full|${captureKey({ ...r, layers: [], gradients: false })}`;
  if (r.gradients && r.layers.length) return `tail|${captureKey(r)}`;
  return 'activations';
}

/**
 * `captureMany` on tfjs, with numbers equal to one `capture` per request: requests that take the
 * taped path from the input (an input gradient) are merged per ReLU mode and targets into ONE
 * capture of the union of their layers; activations-only requests share one forward without a
 * tape; layer-gradient-only requests (Grad-CAM's tail-only path) are merged only when identical,
 * because tapping other layers would move where the tape starts and change float rounding. So
 * Grad-CAM + guided backprop + deconvnet + saliency still costs four passes on tfjs (one tape for
 * all is future work); duplicates and e.g. saliency + an input-gradient CAM share one.
 */
export async function captureMerged(capture: Capture, x: Tensor, requests: readonly CaptureRequest[]) {
  const groups = new Map<string, { request: CaptureRequest; members: number[] }>();
  const groupOf: string[] = [];
  requests.forEach((r, i) => {
    const key = groupKey(r);
    const g = groups.get(key);
    const base = g?.request;
    groups.set(key, {
      request: {
        layers: [...new Set([...(base?.layers ?? []), ...r.layers])],
        gradients: (base?.gradients ?? false) || (r.gradients && r.layers.length > 0),
        inputGradient: (base?.inputGradient ?? false) || r.inputGradient,
        ...(r.reluMode ? { reluMode: r.reluMode } : {}),
        ...(r.rectifiers ? { rectifiers: r.rectifiers } : {}),
        ...(r.hessianVector ? { hessianVector: true } : {}),
        ...(r.biasGradients ? { biasGradients: true } : {}),
        targets: r.targets,
      },
      members: [...(g?.members ?? []), i],
    });
    groupOf[i] = key;
  });
  const keys = [...groups.keys()];
  const hooks: LayerHook[] = [];
  try {
    for (const k of keys) hooks.push(await capture(x, groups.get(k)!.request));
  } catch (e) {
    for (const h of hooks) h.dispose();
    throw e;
  }
  let open = requests.length;
  const release = () => {
    if (--open === 0) for (const h of hooks) h.dispose();
  };
  return requests.map((r, i) => {
    const k = groupOf[i]!;
    return subHook(hooks[keys.indexOf(k)]!, r, k !== 'activations', release);
  });
}

/** What `r` asked for out of a merged hook (an activations-only request's targets resolved on the logits). */
function subHook(h: LayerHook, r: CaptureRequest, sameTargets: boolean, release: () => void): LayerHook {
  const K = h.logits.shape[1]!;
  let released = false;
  const pick = (m: ReadonlyMap<string, Tensor>) => new Map(r.layers.map((l) => [l, m.get(l)!] as const));
  return {
    logits: h.logits,
    targets: sameTargets
      ? h.targets
      : r.targets.map((t, n) => resolveTarget(t, h.logits.data.subarray(n * K, (n + 1) * K))),
    activations: pick(h.activations),
    gradients: r.gradients ? pick(h.gradients) : new Map(),
    ...(r.inputGradient && h.inputGradient ? { inputGradient: h.inputGradient } : {}),
    ...(r.hessianVector && h.hessianVectors ? { hessianVectors: pick(h.hessianVectors) } : {}),
    ...(r.biasGradients && h.biasGradients ? { biasGradients: h.biasGradients } : {}),
    dispose: () => {
      if (!released) release();
      released = true;
    },
  };
}
