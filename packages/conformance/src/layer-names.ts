import type { Model } from '@gradscope/core';
import type { FixtureLayer, FixtureManifest } from './manifest.js';

const candidates = (l: FixtureLayer): string[] =>
  [l.tfjs, l.onnx?.output, l.onnx?.node, l.torch, ...(l.aliases ?? [])].filter((n): n is string => n !== undefined);

/**
 * Maps the fixture's logical layer names (torch module paths) to the names `model` uses, trying the
 * tfjs name, the ONNX output tensor, the ONNX node, the torch path and its aliases, in that order.
 * Layers the model has under none of those names are left out.
 */
export function backendLayerNames(manifest: FixtureManifest, model: Pick<Model, 'layers'>): Map<string, string> {
  const have = new Set(model.layers.map((l) => l.name));
  const out = new Map<string, string>();
  for (const [logical, l] of Object.entries(manifest.layers)) {
    const hit = candidates(l).find((n) => have.has(n));
    if (hit !== undefined) out.set(logical, hit);
  }
  return out;
}

/** The backend name of a logical layer; throws a one-line error listing the model's layers. */
export function layerName(names: ReadonlyMap<string, string>, logical: string, model: Pick<Model, 'layers'>): string {
  const n = names.get(logical);
  if (n === undefined) {
    throw new Error(`the model has no layer for the fixture's '${logical}'; its layers: ${model.layers.map((l) => l.name).join(', ')}`);
  }
  return n;
}

/**
 * Every name a backend may use for a logical layer (tfjs, ONNX tensor or node, torch path, aliases):
 * for checking names a backend chose itself (its `auto` layer, its linear head's feature layer).
 */
export function layerNamesOf(manifest: FixtureManifest, logical: string): string[] {
  const l = manifest.layers[logical];
  return l ? candidates(l) : [];
}
