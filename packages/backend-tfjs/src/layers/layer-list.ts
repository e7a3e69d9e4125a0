import type { LayerInfo } from '@gradscope/core';
import { spatialOf } from '../spatial-of.js';
import { ancestors, type FlatGraph } from './flat-graph.js';

/**
 * The layers that feed the logits, in topological order, with their NHWC output shapes (batch −1):
 * the input layer, every (nested) layer application, and each nested model (its output). Returns
 * the list and each name's tensor key.
 */
export function listLayers(
  g: FlatGraph,
  outputKey: string,
  shapeOf: (key: string) => readonly number[],
): { layers: LayerInfo[]; keys: Map<string, string> } {
  const live = ancestors(g, outputKey);
  live.add(outputKey);
  const aliases = new Map<string, string[]>();
  const nodeNames = new Set(g.nodes.map((n) => n.name));
  for (const [name, key] of g.layerKeys)
    if (!nodeNames.has(name)) aliases.set(key, [...(aliases.get(key) ?? []), name]);
  const layers: LayerInfo[] = [];
  const keys = new Map<string, string>();
  const add = (name: string, type: string, key: string) => {
    const outputShape = shapeOf(key);
    layers.push({ name, type, outputShape, spatial: spatialOf(outputShape) });
    keys.set(name, key);
  };
  add(g.inputName, 'InputLayer', g.inputKey);
  for (const n of g.nodes) {
    const key = n.outputs[0]!;
    if (!live.has(key)) continue;
    add(n.name, n.type, key);
    for (const alias of aliases.get(key) ?? []) add(alias, g.containerTypes.get(alias) ?? 'Model', key);
  }
  return { layers, keys };
}
