// Saving a tfjs LayersModel as the fixtures' model.json + weights.bin, and reading those files back,
// shared by make-tfjs-fixture.mjs and make-tfjs-segmentation-fixture.mjs.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** Writes `dir`/model.json (one weights file, `convertedBy` naming the script) and `dir`/weights.bin. */
export async function writeLayersModel(model, dir, convertedBy) {
  mkdirSync(dir, { recursive: true });
  let saved;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const bytes = Array.isArray(saved.weightData) ? tf.io.concatenateArrayBuffers(saved.weightData) : saved.weightData;
  writeFileSync(join(dir, 'weights.bin'), new Uint8Array(bytes));
  const json = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy,
    modelTopology: saved.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: saved.weightSpecs }],
  };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json) + '\n');
}

/** Reloads the written files (not an in-memory model), so a check covers the saved artifacts. */
export async function readLayersModel(dir) {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const bin = readFileSync(join(dir, 'weights.bin'));
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights,
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
    }),
  );
}
