import * as tf from '@tensorflow/tfjs';
import type { LinearHead } from '@gradscope/core';
import type { FlatGraph, FlatNode } from './flat-graph.js';

const PASS_THROUGH = new Set(['Dropout', 'SpatialDropout2D', 'GaussianDropout', 'GaussianNoise', 'AlphaDropout']);

/**
 * Recognises `features → GlobalAveragePooling2D → [dropout] → Dense` ending at `outputKey` (the
 * Dense's activation must be linear or bypassed). Returns the feature layer's name and the Dense
 * weights as `[numClasses, channels]`, or null.
 */
export async function findLinearHead(
  g: FlatGraph,
  outputKey: string,
  linearNode: FlatNode | null,
  nameOfKey: (key: string) => string | undefined,
): Promise<LinearHead | null> {
  const dense = g.producer.get(outputKey);
  if (!dense || dense.type !== 'Dense' || dense.outputs[0] !== outputKey) return null;
  const act = dense.layer.activation?.getClassName();
  if (act !== 'linear' && dense !== linearNode) return null;
  let prev = g.producer.get(dense.inputs[0]!);
  while (prev && PASS_THROUGH.has(prev.type)) prev = g.producer.get(prev.inputs[0]!);
  if (!prev || prev.type !== 'GlobalAveragePooling2D' || (prev.layer.dataFormat ?? 'channelsLast') !== 'channelsLast')
    return null;
  const featureLayer = nameOfKey(prev.inputs[0]!);
  if (featureLayer === undefined) return null;
  const kernel = dense.layer.kernel!.read();
  const t = tf.transpose(kernel);
  const data = Float32Array.from((await t.data()) as Float32Array);
  t.dispose();
  const b = dense.layer.bias?.read();
  const bias = b ? { data: Float32Array.from((await b.data()) as Float32Array), shape: [kernel.shape[1]!] } : null;
  return { featureLayer, weights: { data, shape: [kernel.shape[1]!, kernel.shape[0]!] }, ...(bias ? { bias } : {}) };
}
