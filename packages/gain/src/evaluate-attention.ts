import type * as tfjs from '@tensorflow/tfjs';
import { scoreMap } from './attention-metrics.js';
import { camMaps, camWeights } from './cam-tensors.js';
import { classesOf, collect, targetMap, type GainData, type GainSample } from './gain-data.js';
import { splitModel } from './split-model.js';

export interface EvaluateAttentionOptions {
  readonly camLayer?: string;
  /** τ of IoU@τ and cover (default 0.5). */
  readonly threshold?: number;
  /** Dilation of the mask for the pointing game, in pixels (default 1). */
  readonly tolerancePx?: number;
  readonly batchSize?: number;
}

export interface AttentionReport {
  readonly count: number;
  /** Top-1 accuracy over samples with a label, and per `group`. */
  readonly accuracy: number;
  readonly accuracyByGroup: Readonly<Record<string, number>>;
  /** Means over samples with a mask or box (NaN when none has one). */
  readonly energyInMask: number;
  readonly pointing: number;
  readonly iou: number;
  readonly cover: number;
  readonly mapMse: number;
  /** Arg-max class per sample, in data order. */
  readonly predictions: readonly number[];
  /** Gradscope's Grad-CAM (`[H, W]`, [0, 1]) for each sample's first class, or its prediction. */
  readonly maps: readonly Float32Array[];
}

/**
 * Attention metrics (GAIN.md §3.3) of `model` on `data`, with the same Grad-CAM as gradscope's
 * `gradcam` (for the sample's first ground-truth class; the predicted class when it has none):
 * accuracy overall and per group, and over the samples with a mask or box, the mean energy in
 * the mask, pointing-game hits, IoU@τ, cover (area of the map ≥ τ) and map-vs-mask MSE.
 */
export async function evaluateAttention(
  tf: typeof tfjs,
  model: tfjs.LayersModel,
  data: GainData,
  options: EvaluateAttentionOptions = {},
): Promise<AttentionReport> {
  const samples = await collect(data);
  const net = splitModel(model, options.camLayer);
  const [H, W, C] = (model.inputs[0]!.shape as number[]).slice(1) as [number, number, number];
  const K = (model.outputs[0]!.shape as number[])[1]!;
  const bs = options.batchSize ?? 64;
  const predictions: number[] = [];
  const maps: Float32Array[] = [];
  for (let b = 0; b < samples.length; b += bs) {
    const part = samples.slice(b, b + bs);
    const { pred, map } = tf.tidy(() => {
      const x = tf.tensor4d(concat(part.map((s) => s.x)), [part.length, H, W, C]);
      const pred = tf.argMax(net.head(net.features(x, false), false), -1).dataSync();
      const cls = part.map((s, i) => (s.label !== undefined || s.labels ? classesOf(s)[0]! : pred[i]!));
      const seeds = tf.oneHot(tf.tensor1d(cls, 'int32'), K).toFloat() as tfjs.Tensor2D;
      const w = camWeights(tf, net, x, seeds);
      return { pred, map: camMaps(tf, net.features(x, false), w, H, W, false).map.dataSync() };
    });
    part.forEach((_, i) => {
      predictions.push(pred[i]!);
      maps.push(map.slice(i * H * W, (i + 1) * H * W) as Float32Array);
    });
  }
  return summarise(samples, predictions, maps, H, W, options);
}

function summarise(
  samples: readonly GainSample[],
  predictions: number[],
  maps: Float32Array[],
  H: number,
  W: number,
  options: EvaluateAttentionOptions,
): AttentionReport {
  const groups = new Map<string, [number, number]>();
  let right = 0,
    labelled = 0;
  const sums = { energyInMask: 0, pointing: 0, iou: 0, cover: 0, mse: 0 };
  let scored = 0;
  samples.forEach((s, i) => {
    if (s.label !== undefined || s.labels) {
      const ok = classesOf(s).includes(predictions[i]!) ? 1 : 0;
      right += ok;
      labelled++;
      if (s.group !== undefined) {
        const g = groups.get(s.group) ?? [0, 0];
        groups.set(s.group, [g[0] + ok, g[1] + 1]);
      }
    }
    const m = targetMap(s, H, W);
    if (!m) return;
    const r = scoreMap(maps[i]!, m, H, W, options.threshold ?? 0.5, options.tolerancePx ?? 1);
    for (const k of Object.keys(sums) as (keyof typeof sums)[]) sums[k] += r[k === 'mse' ? 'mse' : k];
    scored++;
  });
  return {
    count: samples.length,
    accuracy: labelled ? right / labelled : NaN,
    accuracyByGroup: Object.fromEntries([...groups].map(([g, [a, n]]) => [g, a / n])),
    energyInMask: sums.energyInMask / scored,
    pointing: sums.pointing / scored,
    iou: sums.iou / scored,
    cover: sums.cover / scored,
    mapMse: sums.mse / scored,
    predictions,
    maps,
  };
}

function concat(xs: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(xs.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of xs) {
    out.set(x, o);
    o += x.length;
  }
  return out;
}
