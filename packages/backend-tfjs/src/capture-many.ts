import { captureKey, resolveTarget, type CaptureRequest, type LayerHook, type Tensor } from '@gradscope/core';
import { captureStacked, type RowModeCapture } from './stacked-capture.js';

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
 * because tapping other layers would move where the tape starts and change float rounding.
 *
 * With `stack` (the model takes a batch of any size), input-gradient captures of different ReLU
 * modes or targets (and the same `rectifiers`) become ONE taped pass over the input stacked once per
 * capture along the batch axis (`captureStacked`), and a layer-gradient-only request whose mode and
 * targets match one of them joins it: Grad-CAM + guided backprop + deconvnet + saliency is one
 * forward and backward of 3N rows. Their numbers then equal `capture`'s up to float rounding.
 */
export async function captureMerged(
  capture: RowModeCapture,
  x: Tensor,
  requests: readonly CaptureRequest[],
  stack = false,
) {
  const groups = new Map<string, { request: CaptureRequest; members: number[] }>();
  const groupOf: string[] = [];
  requests.forEach((r, i) => {
    const key = groupKey(r);
    groups.set(key, {
      request: mergeInto(groups.get(key)?.request, r),
      members: [...(groups.get(key)?.members ?? []), i],
    });
    groupOf[i] = key;
  });
  const stacked = stack ? stackedGroups(groups, groupOf) : [];
  const keys = [...groups.keys()];
  const hooks = new Map<string, LayerHook>();
  try {
    if (stacked.length)
      (
        await captureStacked(
          capture,
          x,
          stacked.map((k) => groups.get(k)!.request),
        )
      ).forEach((h, i) => hooks.set(stacked[i]!, h));
    for (const k of keys) if (!hooks.has(k)) hooks.set(k, await capture(x, groups.get(k)!.request));
  } catch (e) {
    for (const h of hooks.values()) h.dispose();
    throw e;
  }
  let open = requests.length;
  const release = () => {
    if (--open === 0) for (const h of hooks.values()) h.dispose();
  };
  return requests.map((r, i) => {
    const k = groupOf[i]!;
    return subHook(hooks.get(k)!, r, k !== 'activations', release);
  });
}

/** `base` (a group's merged request, if any) extended by what `r` asks for. */
function mergeInto(base: CaptureRequest | undefined, r: CaptureRequest): CaptureRequest {
  return {
    layers: [...new Set([...(base?.layers ?? []), ...r.layers])],
    gradients: (base?.gradients ?? false) || (r.gradients && r.layers.length > 0),
    inputGradient: (base?.inputGradient ?? false) || r.inputGradient,
    ...(r.reluMode ? { reluMode: r.reluMode } : {}),
    ...(r.rectifiers ? { rectifiers: r.rectifiers } : {}),
    ...(r.hessianVector ? { hessianVector: true } : {}),
    ...(r.biasGradients ? { biasGradients: true } : {}),
    targets: r.targets,
  };
}

/**
 * The input-gradient groups to stack into one pass (those sharing the most common `rectifiers`,
 * when there are at least two), after folding into them the layer-gradient-only groups of the same
 * mode, rectifiers and targets (`groups` and `groupOf` are updated in place).
 */
function stackedGroups(
  groups: Map<string, { request: CaptureRequest; members: number[] }>,
  groupOf: string[],
): string[] {
  const full = [...groups.keys()].filter((k) => k.startsWith('full|'));
  const byRect = new Map<string, string[]>();
  for (const k of full) {
    const rect = groups.get(k)!.request.rectifiers ?? 'all';
    byRect.set(rect, [...(byRect.get(rect) ?? []), k]);
  }
  const stacked = [...byRect.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  if (stacked.length < 2) return [];
  for (const [k, g] of [...groups]) {
    if (!k.startsWith('tail|')) continue;
    const into = `full|${captureKey({ ...g.request, layers: [], gradients: false, inputGradient: true })}`;
    const target = groups.get(into);
    if (!stacked.includes(into) || !target) continue;
    target.request = mergeInto(target.request, g.request);
    target.members.push(...g.members);
    for (const i of g.members) groupOf[i] = into;
    groups.delete(k);
  }
  return stacked;
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
