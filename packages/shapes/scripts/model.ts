import type * as tfjs from '@tensorflow/tfjs';

/**
 * The demo CNN, 64×64×3 → logits:
 * conv1 (16, fused ReLU) → pool1 → conv2 (32) → bn2 → relu2 → pool2 → conv3 (48) → bn3 → relu3 →
 * conv4 (64) → bn4 → relu4 → gap → logits (dense, no softmax, so CAM and Grad-CAM apply).
 * All convolutions are 3×3 'same'; pools are 2×2. `relu4` is the 16×16×64 feature map.
 */
export function buildModel(tf: typeof tfjs, size: number, numClasses: number, seed: number): tfjs.LayersModel {
  let s = seed;
  const he = () => tf.initializers.heNormal({ seed: s++ });
  const input = tf.input({ shape: [size, size, 3], name: 'input' });
  const apply = (layer: tfjs.layers.Layer, x: tfjs.SymbolicTensor) => layer.apply(x) as tfjs.SymbolicTensor;
  const block = (x: tfjs.SymbolicTensor, filters: number, i: number) => {
    x = apply(
      tf.layers.conv2d({
        filters,
        kernelSize: 3,
        padding: 'same',
        useBias: false,
        kernelInitializer: he(),
        name: `conv${i}`,
      }),
      x,
    );
    x = apply(tf.layers.batchNormalization({ name: `bn${i}` }), x);
    return apply(tf.layers.reLU({ name: `relu${i}` }), x);
  };
  const pool = (x: tfjs.SymbolicTensor, name: string) =>
    apply(tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name }), x);
  let x = apply(
    tf.layers.conv2d({
      filters: 16,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: he(),
      name: 'conv1',
    }),
    input,
  );
  x = pool(x, 'pool1');
  x = pool(block(x, 32, 2), 'pool2');
  x = block(x, 48, 3);
  x = block(x, 64, 4);
  x = apply(tf.layers.globalAveragePooling2d({ name: 'gap' }), x);
  const logits = apply(
    tf.layers.dense({
      units: numClasses,
      kernelInitializer: tf.initializers.glorotUniform({ seed: s++ }),
      name: 'logits',
    }),
    x,
  );
  return tf.model({ inputs: input, outputs: logits, name: 'shapes-cnn' });
}
