import * as tf from '@tensorflow/tfjs';
import { registerTrainingKernels } from '@gradscope/backend-tfjs/training';
import { useTfjsBackend } from '@gradscope/backend-tfjs';
import { biasedShapes } from '@gradscope/shapes';
import type { GainSample } from '../src/index.js';

/** tfjs-wasm with the training kernels; returns the undo. */
export async function wasmTraining(): Promise<() => void> {
  await useTfjsBackend('wasm');
  return registerTrainingKernels(tf, 'wasm');
}

/** conv(8)-pool-conv(8, the CAM layer)-GAP-dense(K): a seeded tiny classifier on `size`² RGB. */
export function tinyCnn(size = 16, K = 4, seed = 3): tf.LayersModel {
  let s = seed;
  const conv = (name: string) =>
    tf.layers.conv2d({
      filters: 8,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: tf.initializers.heNormal({ seed: s++ }),
      biasInitializer: tf.initializers.constant({ value: 0.05 }),
      name,
    });
  return tf.sequential({
    layers: [
      tf.layers.inputLayer({ inputShape: [size, size, 3] }),
      conv('conv1'),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
      conv('conv2'),
      tf.layers.globalAveragePooling2d({ name: 'gap' }),
      tf.layers.dense({ units: K, kernelInitializer: tf.initializers.glorotUniform({ seed: s++ }), name: 'logits' }),
    ],
  });
}

/** `n` biased-shapes training images at `size`², input 2(x − 0.5), masks on every `maskEvery`-th. */
export function smokeSet(n: number, size = 16, maskEvery = 1, seed = 5): GainSample[] {
  return biasedShapes({ seed, size })('train', n).map((s, i) => ({
    x: s.image.map((v) => 2 * (v - 0.5)),
    label: s.label,
    ...(i % maskEvery === 0 ? { mask: s.mask } : {}),
  }));
}

export const flat = (t: tf.Tensor) => Array.from(t.dataSync());

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
