import * as tf from '@tensorflow/tfjs';
import { BadInputError, LOGITS_LAYER, reinitializedWeights, type WeightRole } from '@gradscope/core';
import type { FlatGraph, FlatNode } from './flat-graph.js';
import type { LayersModelState } from './layers-model-state.js';
import type { LayerLike } from './tfjs-internals.js';

/** A tf.layers.Layer's weight list (tfjs's public Layer API; not in `LayerLike`). */
const weightsOf = (l: LayerLike) =>
  (l as unknown as tf.layers.Layer).weights as readonly { originalName: string; shape: number[] }[];

/** The flat nodes a listed layer name stands for: its own node, or every node inside a nested model. */
function nodesOf(g: FlatGraph, s: LayersModelState, layer: string): FlatNode[] {
  if (layer === LOGITS_LAYER) {
    let n = s.linearNode ?? g.producer.get(s.outputKey);
    while (n && !weightsOf(n.layer).length) n = g.producer.get(n.inputs[0] ?? '');
    return n ? [n] : [];
  }
  const key = s.keyOf(layer);
  if (g.containerTypes.has(layer)) return g.nodes.filter((n) => n.name.startsWith(`${layer}/`));
  const n = g.producer.get(key);
  return n ? [n] : [];
}

/** Keras's role of a weight by its name (null: a running statistic, kept), and its fan-in (Keras's `_compute_fans`). */
function role(originalName: string, shape: readonly number[]): [WeightRole, number] | null {
  const base = originalName.split('/').pop()!.replace(/_\d+$/, '');
  if (base === 'moving_mean' || base === 'moving_variance') return null;
  if (base === 'gamma') return ['ones', 0];
  if (base === 'bias' || base === 'beta') return ['zeros', 0];
  const fanIn = shape.length <= 2 ? shape[0]! : shape.slice(0, -1).reduce((a, b) => a * b, 1);
  return ['kernel', fanIn];
}

/**
 * Re-initialises, in place, every weight of the layers named (see `reinitializedWeights` in core:
 * kernels He truncated normal with Keras's fan-in, biases and β zero, γ one; running statistics
 * kept). Each weight is seeded by `seed` and `<flat node name>/<weight index>`. Call it on a
 * copy only. A layer without weights is refused.
 */
export function randomizeLayers(s: LayersModelState, layers: readonly string[], seed: number): void {
  const nodes = layers.map((l) => {
    const ns = nodesOf(s.graph, s, l).filter((n) => weightsOf(n.layer).length);
    if (!ns.length) throw new BadInputError(`layer '${l}' has no weights to randomise`);
    return ns;
  });
  for (const n of new Set(nodes.flat())) {
    const layer = n.layer as unknown as tf.layers.Layer;
    const current = layer.getWeights(); // the variables themselves: never disposed here
    const fresh = weightsOf(n.layer).map((w, i) => {
      const r = role(w.originalName, w.shape);
      if (!r) return current[i]!.clone();
      const size = w.shape.reduce((a, b) => a * b, 1);
      return tf.tensor(reinitializedWeights(r[0], size, r[1], seed, `${n.name}/${i}`), w.shape);
    });
    try {
      layer.setWeights(fresh);
    } finally {
      tf.dispose(fresh);
    }
  }
}

/** A copy of a LayersModel with its own weights (through an in-memory save and load). */
export async function cloneLayersModel(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return tf.loadLayersModel(tf.io.fromMemory(saved!));
}
