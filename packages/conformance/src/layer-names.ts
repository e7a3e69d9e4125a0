import type { Model } from '@gradscope/core';
import type { FixtureFormat } from './fixture-path.js';
import type { FixtureLayer, FixtureManifest } from './manifest.js';

/** Module paths that name the layer's output in torch: its own path, then its aliases. */
const modulePaths = (l: FixtureLayer): string[] => [l.torch, ...(l.aliases ?? [])];

/**
 * Every name of a layer, in the order a model of `format` is asked for it:
 * - tfjs: the tfjs layer name, then the torch module path and aliases, then the ONNX names;
 * - onnx: the torch module path and aliases (ONNX backends resolve them to the module's output
 *   tensor), then the ONNX output tensor and node, then the tfjs name; none for a layer the export
 *   has no tensor of (a conv whose BatchNorm was folded into it: its module path names the BN's value);
 * - unknown: tfjs name, ONNX output tensor and node, module path, aliases.
 */
function candidates(l: FixtureLayer, format?: FixtureFormat): string[] {
  const onnx = [l.onnx?.output, l.onnx?.node];
  const order =
    format === 'tfjs'
      ? [l.tfjs, ...modulePaths(l), ...onnx]
      : format === 'onnx'
        ? l.onnx
          ? [...modulePaths(l), ...onnx, l.tfjs]
          : []
        : [l.tfjs, ...onnx, ...modulePaths(l)];
  return [...new Set(order.filter((n): n is string => n !== undefined))];
}

/**
 * The fixture format whose own names `model` lists more: tfjs layer names that are not also torch
 * module paths (`block_relu`, not `relu3`, which ONNX backends list too) vs ONNX output tensors.
 * Undefined on a tie (e.g. neither).
 */
export function detectFormat(manifest: FixtureManifest, model: Pick<Model, 'layers'>): FixtureFormat | undefined {
  const have = new Set(model.layers.map((l) => l.name));
  const layers = Object.values(manifest.layers);
  const paths = new Set(layers.flatMap(modulePaths));
  const tfjs = layers.filter((l) => have.has(l.tfjs) && !paths.has(l.tfjs)).length;
  const onnx = layers.filter((l) => l.onnx !== undefined && have.has(l.onnx.output)).length;
  return tfjs > onnx ? 'tfjs' : onnx > tfjs ? 'onnx' : undefined;
}

/**
 * Maps the fixture's logical layer names (torch module paths) to names `model` lists: per layer,
 * the first of its names (in the order `candidates` gives for the model's format, detected
 * with {@link detectFormat} unless `format` is given) that is one of `model.layers`. The model's own
 * format goes first, so a tfjs name that merely coincides with an ONNX module path (`relu3`) never
 * decides the match. Layers the model has under none of their names are left out.
 */
export function backendLayerNames(
  manifest: FixtureManifest,
  model: Pick<Model, 'layers'>,
  format?: FixtureFormat,
): Map<string, string> {
  const have = new Set(model.layers.map((l) => l.name));
  const fmt = format ?? detectFormat(manifest, model);
  const out = new Map<string, string>();
  for (const [logical, l] of Object.entries(manifest.layers)) {
    const hit = candidates(l, fmt).find((n) => have.has(n));
    if (hit !== undefined) out.set(logical, hit);
  }
  return out;
}

/** The backend name of a logical layer; throws a one-line error listing the model's layers. */
export function layerName(names: ReadonlyMap<string, string>, logical: string, model: Pick<Model, 'layers'>): string {
  const n = names.get(logical);
  if (n === undefined) {
    throw new Error(
      `the model has no layer for the fixture's '${logical}'; its layers: ${model.layers.map((l) => l.name).join(', ')}`,
    );
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
