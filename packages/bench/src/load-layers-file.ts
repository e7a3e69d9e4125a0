import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** Loads a tfjs LayersModel from a `model.json` path and the weight files it lists (Node). */
export async function loadLayersFile(modelJson: string): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(modelJson, 'utf8')) as tf.io.ModelJSON;
  const groups = json.weightsManifest ?? [];
  const buffers = groups.flatMap((g) =>
    g.paths.map((p) => {
      const b = readFileSync(join(dirname(modelJson), p));
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
    }),
  );
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: groups.flatMap((g) => g.weights),
      weightData: tf.io.concatenateArrayBuffers(buffers),
    }),
  );
}
