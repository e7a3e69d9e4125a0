import * as tf from '@tensorflow/tfjs';
import { seededUniform, type Tensor } from '@gradscope/core';

/** Deterministic uniform numbers in [0, 1) (core's mulberry32). */
export const rng = seededUniform;

/** A seeded tensor with entries uniform in [lo, hi). */
export function randomTensor(shape: number[], seed: number, lo = -1, hi = 1): Tensor {
  const r = rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return { data: Float32Array.from({ length: n }, () => lo + (hi - lo) * r()), shape };
}

let seed = 1;
const init = () => tf.initializers.glorotNormal({ seed: seed++ });

/** Gives every BatchNormalization layer seeded, non-trivial statistics. */
export function randomizeBatchNorm(model: tf.LayersModel, s = 7): void {
  const r = rng(s);
  const vec = (c: number, lo: number, hi: number) => tf.tensor1d(Array.from({ length: c }, () => lo + (hi - lo) * r()));
  const visit = (m: tf.LayersModel) => {
    for (const l of m.layers) {
      if (l instanceof tf.LayersModel) visit(l);
      else if (l.getClassName() === 'BatchNormalization') {
        const c = l.getWeights()[0]!.shape[0]!;
        const ws = [vec(c, 0.5, 1.5), vec(c, -0.2, 0.2), vec(c, -0.2, 0.2), vec(c, 0.5, 2)];
        l.setWeights(ws);
        tf.dispose(ws);
      }
    }
  };
  visit(model);
}

/** conv(relu fused) → BN → maxpool → depthwise → ReLU6 → 1×1 conv → relu → GAP → dense → softmax. */
export function smallCnn(opts: { size?: number; classes?: number; softmax?: boolean } = {}): tf.LayersModel {
  seed = 11;
  const size = opts.size ?? 8;
  const inp = tf.input({ shape: [size, size, 3], name: 'image' });
  let x = tf.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: init(),
      biasInitializer: init(),
      name: 'conv1',
    })
    .apply(inp) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'bn1' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers
    .depthwiseConv2d({
      kernelSize: 3,
      padding: 'same',
      depthwiseInitializer: init(),
      biasInitializer: init(),
      name: 'dw',
    })
    .apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ maxValue: 6, name: 'relu6' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers
    .conv2d({
      filters: 6,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      kernelInitializer: init(),
      biasInitializer: init(),
      name: 'conv2',
    })
    .apply(x) as tf.SymbolicTensor;
  x = tf.layers.activation({ activation: 'relu', name: 'relu2' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({
      units: opts.classes ?? 5,
      activation: opts.softmax === false ? 'linear' : 'softmax',
      kernelInitializer: init(),
      biasInitializer: init(),
      name: 'fc',
    })
    .apply(x) as tf.SymbolicTensor;
  const m = tf.model({ inputs: inp, outputs: out, name: 'small_cnn' });
  randomizeBatchNorm(m);
  return m;
}

/** A residual net: stem conv, two residual blocks (one with a strided 1×1 projection), GAP, dense. */
export function residualCnn(): tf.LayersModel {
  seed = 101;
  const inp = tf.input({ shape: [8, 8, 3], name: 'image' });
  let x = tf.layers
    .conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: init(), name: 'stem' })
    .apply(inp) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'stem_bn' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ name: 'stem_relu' }).apply(x) as tf.SymbolicTensor;
  const block = (y: tf.SymbolicTensor, filters: number, stride: number, name: string) => {
    let a = tf.layers
      .conv2d({
        filters,
        kernelSize: 3,
        strides: stride,
        padding: 'same',
        kernelInitializer: init(),
        name: `${name}_a`,
      })
      .apply(y) as tf.SymbolicTensor;
    a = tf.layers.reLU({ name: `${name}_a_relu` }).apply(a) as tf.SymbolicTensor;
    a = tf.layers
      .conv2d({ filters, kernelSize: 3, padding: 'same', kernelInitializer: init(), name: `${name}_b` })
      .apply(a) as tf.SymbolicTensor;
    const sc =
      stride === 1
        ? y
        : (tf.layers
            .conv2d({ filters, kernelSize: 1, strides: stride, kernelInitializer: init(), name: `${name}_proj` })
            .apply(y) as tf.SymbolicTensor);
    const s = tf.layers.add({ name: `${name}_add` }).apply([a, sc]) as tf.SymbolicTensor;
    return tf.layers.reLU({ name: `${name}_out` }).apply(s) as tf.SymbolicTensor;
  };
  x = block(x, 4, 1, 'b1');
  x = block(x, 6, 2, 'b2');
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({ units: 4, kernelInitializer: init(), biasInitializer: init(), name: 'fc' })
    .apply(x) as tf.SymbolicTensor;
  const m = tf.model({ inputs: inp, outputs: out, name: 'residual_cnn' });
  randomizeBatchNorm(m);
  return m;
}

/** A functional model that uses a nested Sequential feature extractor as one layer. */
export function nestedCnn(): tf.LayersModel {
  seed = 201;
  const features = tf.sequential({
    name: 'features',
    layers: [
      tf.layers.conv2d({
        inputShape: [8, 8, 3],
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(),
        biasInitializer: tf.initializers.constant({ value: 3 }),
        name: 'fconv1',
      }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'fpool' }),
      tf.layers.conv2d({
        filters: 5,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(),
        name: 'fconv2',
      }),
    ],
  });
  const inp = tf.input({ shape: [8, 8, 3], name: 'image' });
  let x = features.apply(inp) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dropout({ rate: 0.5, name: 'drop' }).apply(x) as tf.SymbolicTensor; // identity at inference
  const out = tf.layers
    .dense({ units: 3, kernelInitializer: init(), biasInitializer: init(), name: 'fc' })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: inp, outputs: out, name: 'nested_cnn' });
}

export const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

/** Cosine similarity of two vectors. */
export const cosine = (a: ArrayLike<number>, b: ArrayLike<number>): number =>
  dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b) + 1e-30);

/** max |a − b| / max |b|. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return num / (den + 1e-30);
}

/** Fraction of entries with |a − b| ≤ tol · max |b| (robust to the odd FD step across a ReLU kink). */
export function fractionClose(a: ArrayLike<number>, b: ArrayLike<number>, tol = 0.02): number {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(b[i]!));
  let ok = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i]! - b[i]!) <= tol * m) ok++;
  return ok / a.length;
}
