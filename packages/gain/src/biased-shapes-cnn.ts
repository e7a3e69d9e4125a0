import type * as tfjs from '@tensorflow/tfjs';

/**
 * The biased-shapes CNN of GAIN.md §3.2, `size`² RGB → K logits: conv16-pool-conv32-pool-conv64-
 * conv64 (`conv4`, the Grad-CAM layer)-GAP-dense; ReLU, He-normal kernels seeded from `seed`.
 */
export function biasedShapesCnn(tf: typeof tfjs, size: number, K: number, seed: number): tfjs.LayersModel {
  let s = seed;
  const conv = (filters: number, name: string) =>
    tf.layers.conv2d({
      filters,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: tf.initializers.heNormal({ seed: s++ }),
      name,
    });
  const pool = (name: string) => tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name });
  return tf.sequential({
    name: 'biased-shapes-cnn',
    layers: [
      tf.layers.inputLayer({ inputShape: [size, size, 3], name: 'input' }),
      conv(16, 'conv1'),
      pool('pool1'),
      conv(32, 'conv2'),
      pool('pool2'),
      conv(64, 'conv3'),
      conv(64, 'conv4'),
      tf.layers.globalAveragePooling2d({ name: 'gap' }),
      tf.layers.dense({ units: K, kernelInitializer: tf.initializers.glorotUniform({ seed: s++ }), name: 'logits' }),
    ],
  });
}
