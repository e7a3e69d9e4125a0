import type * as tfjs from '@tensorflow/tfjs';
import { resizeBilinear } from '@gradscope/core';
import type { ShapeSample } from '@gradscope/shapes';
import { toBatch, type Normalization } from './data.js';

export interface Evaluation {
  readonly accuracy: number;
  /** Fraction of images whose Grad-CAM peak (top-1 class, `featureLayer`) lies inside the object mask. */
  readonly peakInMask: number;
  readonly count: number;
}

/**
 * Held-out accuracy and Grad-CAM peak-in-mask rate. The network ends in GAP → dense, so Grad-CAM's
 * channel weights `mean_{h,w} ∂y_c/∂A_k = W[k, c] / (h·w)` are known in closed form: the map is
 * `ReLU(Σ_k W[k, c] A_k)` up to a positive factor, upsampled bilinearly to the input size.
 */
export function evaluate(
  tf: typeof tfjs,
  model: tfjs.LayersModel,
  samples: readonly ShapeSample[],
  norm: Normalization,
  featureLayer: string,
): Evaluation {
  const K = model.outputs[0]!.shape[1] as number;
  const probe = tf.model({
    inputs: model.inputs,
    outputs: [model.getLayer(featureLayer).output as tfjs.SymbolicTensor, model.outputs[0]!],
  });
  const dense = model.layers[model.layers.length - 1]!.getWeights()[0]!.dataSync() as Float32Array; // [C, K]
  let correct = 0,
    inMask = 0;
  for (let start = 0; start < samples.length; start += 64) {
    const chunk = samples.slice(start, start + 64);
    const { xs, ys } = toBatch(tf, chunk, norm, K);
    const [feat, logits] = probe.predict(xs) as tfjs.Tensor[];
    const [, h, w, C] = feat!.shape as number[];
    const f = feat!.dataSync(),
      l = logits!.dataSync();
    chunk.forEach((s, b) => {
      let c = 0;
      for (let k = 1; k < K; k++) if (l[b * K + k]! > l[b * K + c]!) c = k;
      if (c === s.label) correct++;
      const cam = new Float32Array(h! * w!);
      for (let i = 0; i < h! * w!; i++) {
        let v = 0;
        for (let k = 0; k < C!; k++) v += f[(b * h! * w! + i) * C! + k]! * dense[k * K + c]!;
        cam[i] = Math.max(0, v);
      }
      const up = resizeBilinear(cam, h!, w!, s.height, s.width);
      let peak = 0;
      for (let i = 1; i < up.length; i++) if (up[i]! > up[peak]!) peak = i;
      if (up[peak]! > 0 && s.mask[peak] === 1) inMask++;
    });
    tf.dispose([xs, ys, feat!, logits!]);
  }
  return { accuracy: correct / samples.length, peakInMask: inMask / samples.length, count: samples.length };
}
