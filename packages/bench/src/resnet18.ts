import * as tf from '@tensorflow/tfjs';
import { normals, uniforms } from './random.js';

/** The layer Grad-CAM targets in `resnet18`: the output of the last residual block. */
export const RESNET18_LAST_CONV = 'layer4.1.relu';

type SymT = tf.SymbolicTensor;
const one = (x: SymT | SymT[] | tf.Tensor | tf.Tensor[]) => x as SymT;

/**
 * A ResNet-18 (torchvision's layout: 7×7/2 stem, 3×3/2 max-pool, 4 stages of two basic blocks,
 * global average pooling, 1000-way dense) as a tfjs LayersModel on NHWC 224×224×3 input, with seeded
 * random weights: He-normal kernels, BatchNorm γ ~ U(0.5, 1.5), β, running mean ~ N(0, 0.1²), running
 * variance ~ U(0.5, 2). Stride-2 convolutions pad explicitly like torch (tfjs `same` pads
 * asymmetrically). Layer names follow torchvision (`layer4.1.relu` is the last block's output).
 */
export function resnet18(seed = 18): tf.LayersModel {
  const conv = (x: SymT, filters: number, k: number, stride: number, name: string): SymT => {
    if (stride !== 1) {
      const p = k >> 1;
      if (p)
        x = one(
          tf.layers
            .zeroPadding2d({
              padding: [
                [p, p],
                [p, p],
              ],
              name: `${name}.pad`,
            })
            .apply(x),
        );
    }
    const padding = stride === 1 ? 'same' : 'valid';
    return one(
      tf.layers
        .conv2d({ filters, kernelSize: k, strides: stride, padding, useBias: false, kernelInitializer: 'zeros', name })
        .apply(x),
    );
  };
  const bn = (x: SymT, name: string) => one(tf.layers.batchNormalization({ axis: -1, epsilon: 1e-5, name }).apply(x));
  const relu = (x: SymT, name: string) => one(tf.layers.reLU({ name }).apply(x));

  const input = tf.input({ shape: [224, 224, 3], name: 'input' });
  let x = relu(bn(conv(input, 64, 7, 2, 'conv1'), 'bn1'), 'relu');
  x = one(
    tf.layers
      .zeroPadding2d({
        padding: [
          [1, 1],
          [1, 1],
        ],
        name: 'maxpool.pad',
      })
      .apply(x),
  );
  x = one(tf.layers.maxPooling2d({ poolSize: 3, strides: 2, name: 'maxpool' }).apply(x));
  let channels = 64;
  [64, 128, 256, 512].forEach((width, s) => {
    for (let b = 0; b < 2; b++) {
      const p = `layer${s + 1}.${b}`;
      const stride = b === 0 && s > 0 ? 2 : 1;
      let y = relu(bn(conv(x, width, 3, stride, `${p}.conv1`), `${p}.bn1`), `${p}.relu1`);
      y = bn(conv(y, width, 3, 1, `${p}.conv2`), `${p}.bn2`);
      const shortcut =
        stride !== 1 || channels !== width
          ? bn(conv(x, width, 1, stride, `${p}.downsample.0`), `${p}.downsample.1`)
          : x;
      x = relu(one(tf.layers.add({ name: `${p}.add` }).apply([y, shortcut])), `${p}.relu`);
      channels = width;
    }
  });
  x = one(tf.layers.globalAveragePooling2d({ name: 'avgpool' }).apply(x));
  const logits = one(tf.layers.dense({ units: 1000, kernelInitializer: 'zeros', name: 'fc' }).apply(x));
  const model = tf.model({ inputs: input, outputs: logits, name: 'resnet18' });
  seedWeights(model, seed);
  return model;
}

/** Overwrites every weight of `model` with seeded draws (see `resnet18`). */
function seedWeights(model: tf.LayersModel, seed: number): void {
  let s = seed * 7919;
  for (const layer of model.layers) {
    const shapes = layer.getWeights().map((w) => w.shape);
    if (shapes.length === 0) continue;
    const size = (sh: number[]) => sh.reduce((a, b) => a * b, 1);
    const cls = layer.getClassName();
    let values: Float32Array[];
    if (cls === 'Conv2D' || cls === 'Dense') {
      const fanIn = size(shapes[0]!.slice(0, -1));
      const std = Math.sqrt((cls === 'Conv2D' ? 2 : 1) / fanIn);
      values = shapes.map((sh, i) => (i === 0 ? normals(size(sh), ++s, 0, std) : new Float32Array(size(sh))));
    } else if (cls === 'BatchNormalization') {
      const c = size(shapes[0]!); // gamma, beta, moving mean, moving variance
      values = [uniforms(c, ++s, 0.5, 1.5), normals(c, ++s, 0, 0.1), normals(c, ++s, 0, 0.1), uniforms(c, ++s, 0.5, 2)];
    } else {
      throw new Error(`resnet18: no seeding rule for ${cls} weights`);
    }
    const ts = values.map((v, i) => tf.tensor(v, shapes[i]));
    layer.setWeights(ts);
    tf.dispose(ts);
  }
}
