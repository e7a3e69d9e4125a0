import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

/**
 * Builds, seeds and saves a tiny tfjs LayersModel to `dir/<name>.json` (+ weights) with a
 * sidecar: input 8×8×3 → conv1 (4, relu) → pool → conv2 (6, relu) → gap → logits (3, linear), or
 * `head.units` outputs with `head.activation` (e.g. one sigmoid score).
 */
export async function saveTinyModel(
  dir: string,
  sidecar: object | null = {
    classes: ['cat', 'dog', 'fox'],
    normalization: { mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] },
  },
  head: { units: number; activation: 'linear' | 'sigmoid' | 'softmax'; zeroKernel?: boolean } = {
    units: 3,
    activation: 'linear',
  },
  inputShape: [number | null, number | null, number] = [8, 8, 3],
  name = 'model',
): Promise<string> {
  const init = (seed: number) => tf.initializers.randomUniform({ minval: -0.6, maxval: 0.6, seed });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape,
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        name: 'conv1',
        kernelInitializer: init(1),
        biasInitializer: init(2),
      }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool' }),
      tf.layers.conv2d({
        filters: 6,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        name: 'conv2',
        kernelInitializer: init(3),
        biasInitializer: init(4),
      }),
      tf.layers.globalAveragePooling2d({ name: 'gap' }),
      tf.layers.dense({
        units: head.units,
        activation: head.activation,
        name: 'logits',
        kernelInitializer: head.zeroKernel ? 'zeros' : init(5),
        biasInitializer: init(6),
      }),
    ],
  });
  await saveLayersModel(dir, name, model);
  model.dispose();
  if (sidecar) await writeFile(join(dir, `${name}.gradscope.json`), JSON.stringify(sidecar));
  return join(dir, `${name}.json`);
}

/** Saves a tfjs LayersModel as `dir/<name>.json` + weights (`weights.bin` for `model`, else `<name>.bin`). */
export async function saveLayersModel(dir: string, name: string, model: tf.LayersModel): Promise<string> {
  const bin = name === 'model' ? 'weights.bin' : `${name}.bin`;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const weights = new Uint8Array(a.weightData as ArrayBuffer);
      await writeFile(join(dir, bin), weights);
      await writeFile(
        join(dir, `${name}.json`),
        JSON.stringify({
          format: a.format,
          generatedBy: a.generatedBy,
          convertedBy: a.convertedBy,
          modelTopology: a.modelTopology,
          weightsManifest: [{ paths: [bin], weights: a.weightSpecs }],
        }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return join(dir, `${name}.json`);
}
