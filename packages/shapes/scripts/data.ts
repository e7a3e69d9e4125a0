import type * as tfjs from '@tensorflow/tfjs';
import type { ShapeSample } from '@gradscope/shapes';

export interface Normalization {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** Per-channel mean and standard deviation of pixels scaled to [0, 1], rounded to 4 decimals. */
export function channelStats(samples: readonly ShapeSample[]): Normalization {
  const sum = [0, 0, 0],
    sq = [0, 0, 0];
  let n = 0;
  for (const s of samples) {
    for (let i = 0; i < s.width * s.height; i++) {
      for (let c = 0; c < 3; c++) {
        const v = s.image[i * 4 + c]! / 255;
        sum[c]! += v;
        sq[c]! += v * v;
      }
      n++;
    }
  }
  const mean = sum.map((x) => x / n);
  const std = sq.map((x, c) => Math.sqrt(x / n - mean[c]! ** 2));
  const r = (x: number) => Math.round(x * 1e4) / 1e4;
  return { mean: mean.map(r), std: std.map(r) };
}

/**
 * Per-pixel targets for the auxiliary segmentation loss: the mask downsampled by `factor` (a cell is
 * object when more than half its pixels are), one-hot over `[background, class 0, …, class K−1]`,
 * shape `[N, H/factor, W/factor, K + 1]`.
 */
export function segmentationTargets(
  tf: typeof tfjs,
  samples: readonly ShapeSample[],
  numClasses: number,
  factor: number,
) {
  const { width: W, height: H } = samples[0]!;
  const h = H / factor,
    w = W / factor,
    C = numClasses + 1;
  const t = new Float32Array(samples.length * h * w * C);
  samples.forEach((s, b) => {
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        let on = 0;
        for (let dy = 0; dy < factor; dy++)
          for (let dx = 0; dx < factor; dx++) on += s.mask[(y * factor + dy) * W + x * factor + dx]!;
        const cls = on * 2 > factor * factor ? s.label + 1 : 0;
        t[((b * h + y) * w + x) * C + cls] = 1;
      }
  });
  return tf.tensor4d(t, [samples.length, h, w, C]);
}

/** NHWC float32 input `[N, H, W, 3]`, `(p/255 − mean) / std`, and one-hot labels `[N, K]`. */
export function toBatch(tf: typeof tfjs, samples: readonly ShapeSample[], norm: Normalization, numClasses: number) {
  const { width: W, height: H } = samples[0]!;
  const x = new Float32Array(samples.length * H * W * 3);
  const y = new Float32Array(samples.length * numClasses);
  samples.forEach((s, b) => {
    for (let i = 0; i < H * W; i++) {
      for (let c = 0; c < 3; c++)
        x[(b * H * W + i) * 3 + c] = (s.image[i * 4 + c]! / 255 - norm.mean[c]!) / norm.std[c]!;
    }
    y[b * numClasses + s.label] = 1;
  });
  return { xs: tf.tensor4d(x, [samples.length, H, W, 3]), ys: tf.tensor2d(y, [samples.length, numClasses]) };
}
