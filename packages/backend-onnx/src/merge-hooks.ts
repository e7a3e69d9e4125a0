import type { LayerHook, Tensor } from '@gradscope/core';
import { concatBatch } from './batch.js';

/** Joins per-image hooks (models with a fixed batch of one) into one hook for the whole batch. */
export function mergeHooks(layers: readonly string[], hooks: readonly LayerHook[]): LayerHook {
  const map = (pick: (h: LayerHook) => ReadonlyMap<string, Tensor>) => {
    const m = new Map<string, Tensor>();
    for (const l of layers)
      if (hooks.every((h) => pick(h).has(l))) m.set(l, concatBatch(hooks.map((h) => pick(h).get(l)!)));
    return m;
  };
  const ig = hooks.every((h) => h.inputGradient) ? concatBatch(hooks.map((h) => h.inputGradient!)) : undefined;
  return {
    logits: concatBatch(hooks.map((h) => h.logits)),
    targets: hooks.flatMap((h) => h.targets),
    activations: map((h) => h.activations),
    gradients: map((h) => h.gradients),
    ...(ig ? { inputGradient: ig } : {}),
    ...(hooks.every((h) => h.hessianVectors) ? { hessianVectors: map((h) => h.hessianVectors!) } : {}),
    dispose: () => hooks.forEach((h) => h.dispose()),
  };
}
