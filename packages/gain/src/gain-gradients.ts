import type * as tfjs from '@tensorflow/tfjs';
import { camMaps, camWeights } from './cam-tensors.js';
import type { SplitModel } from './split-model.js';

/** One batch in the network's input space. */
export interface GainBatch {
  /** Images `[B, H, W, C]`. */
  readonly x: tfjs.Tensor4D;
  /** One-hot (single-label) or multi-hot (multi-label) targets `[B, K]`. */
  readonly y: tfjs.Tensor2D;
  /** Target maps `[B, H, W]` in [0, 1] (zeros where absent) and `[B]` 1/0 for "has a mask". */
  readonly masks?: tfjs.Tensor3D;
  readonly hasMask?: readonly boolean[];
  /** `[B]`: true for samples that only feed L_e (the S_e stream), not L_cl or L_am. */
  readonly eOnly?: readonly boolean[];
}

/** Loss settings of one GAIN step (see `GainOptions` for their meaning and defaults). */
export interface GainLossSettings {
  readonly mode: 'single' | 'multi';
  /** Weight of L_cl (1 in training; 0 lets tests isolate the other terms). */
  readonly clWeight: number;
  readonly alpha: number;
  readonly omegaE: number;
  readonly sigma: number;
  readonly omega: number;
  readonly amScore: 'softmax' | 'sigmoid';
  readonly detachNormalizer: boolean;
  /** Normaliser of the map that builds L_am's soft mask (default: `detachNormalizer`). */
  readonly detachNormalizerAm?: boolean;
  /** Value erased pixels take in the input space (I* = I − T⊙(I − e)). */
  readonly eraseValue: number;
}

export interface GainStepResult {
  readonly grads: tfjs.NamedTensorMap;
  readonly lossCl: number;
  readonly lossAm: number;
  readonly lossE: number;
  readonly total: number;
  /** Per (image, class) pair: max of the raw ReLU map (0 ⇒ the map is identically zero). */
  readonly rawMax: Float32Array;
}

/** (image, class) pairs: one per image (its label) in single mode, one per positive class in multi. */
export function camPairs(y: Float32Array | Int32Array, K: number): { index: number[]; cls: number[] } {
  const index: number[] = [],
    cls: number[] = [];
  for (let n = 0; n < y.length / K; n++)
    for (let c = 0; c < K; c++)
      if (y[n * K + c]! > 0.5) {
        index.push(n);
        cls.push(c);
      }
  return { index, cls };
}

/**
 * The two-pass GAIN step. Pass 1 ({@link camWeights}) computes Grad-CAM's weights without a tape;
 * pass 2 records `L = clWeight·L_cl + α·L_am + ω_e·L_e` and differentiates it with respect to
 * `vars`: L_cl (softmax-CE or mean sigmoid-BCE) on the classification stream (training mode);
 * for each pair the map Â (gradscope's Grad-CAM, inference mode), the soft mask
 * `T = σ(ω(Â − σ₀))`, the erased image I* and `L_am = mean s^c(I*)` (softmax probability or
 * sigmoid); `L_e = mean over masked pairs and pixels of (Â − H)²`. Grads are the caller's to dispose.
 */
export function gainGradients(
  tf: typeof tfjs,
  net: SplitModel,
  batch: GainBatch,
  s: GainLossSettings,
  vars: tfjs.Variable[],
  /** Network that scores the erased images (default `net`); a copy whose weights are not in `vars`
   * makes L_am reach the weights only through the soft mask, not through the S_am forward. */
  amNet: SplitModel = net,
): GainStepResult {
  const [B, H, W] = batch.x.shape;
  const K = batch.y.shape[1];
  const { index, cls } = camPairs(batch.y.dataSync() as Float32Array, K);
  const needMaps = s.alpha > 0 || s.omegaE > 0;
  const masked = index.map((n) => batch.hasMask?.[n] === true);
  const useE = s.omegaE > 0 && batch.masks !== undefined && masked.some(Boolean);
  const kept: tfjs.Tensor[] = [];
  const keep = <T extends tfjs.Tensor>(t: T) => (kept.push(tf.keep(t)), t);
  let pairX: tfjs.Tensor4D | null = null,
    seeds: tfjs.Tensor2D | null = null,
    w: tfjs.Tensor4D | null = null;
  if (needMaps)
    [pairX, seeds, w] = tf.tidy((): [tfjs.Tensor4D, tfjs.Tensor2D, tfjs.Tensor4D] => {
      const px = tf.gather(batch.x, tf.tensor1d(index, 'int32')) as tfjs.Tensor4D;
      const sd = tf.oneHot(tf.tensor1d(cls, 'int32'), K).toFloat() as tfjs.Tensor2D;
      return [px, sd, camWeights(tf, net, px, sd)];
    });
  // f for the attention stream can be shared with S_cl when nothing differs between the modes
  const share = !net.hasTrainingBehaviour && index.length === B && index.every((n, i) => n === i);
  const parts: { cl?: tfjs.Scalar; am?: tfjs.Scalar; e?: tfjs.Scalar; rawMax?: tfjs.Tensor } = {};
  try {
    const { value, grads } = tf.variableGrads(() => {
      const fCl = net.features(batch.x, true);
      const logits = net.head(fCl, true);
      const clW = batch.eOnly ? tf.tensor1d(batch.eOnly.map((e) => (e ? 0 : 1))) : undefined;
      const cl =
        s.mode === 'single'
          ? tf.losses.softmaxCrossEntropy(batch.y, logits, clW)
          : tf.losses.sigmoidCrossEntropy(batch.y, logits, clW?.expandDims(-1));
      parts.cl = keep(cl as tfjs.Scalar);
      let total = tf.mul(cl, s.clWeight) as tfjs.Scalar;
      if (!needMaps) return total;
      const f = share ? fCl : net.features(pairX!, false);
      const { raw, map } = camMaps(tf, f, w!, H, W, s.detachNormalizer);
      parts.rawMax = keep(tf.max(raw, [1, 2]));
      if (s.alpha > 0) {
        // same values as `map`; only the gradient through min and max differs when the modes differ
        const amDetach = s.detachNormalizerAm ?? s.detachNormalizer;
        const amMap = amDetach === s.detachNormalizer ? map : camMaps(tf, f, w!, H, W, amDetach).map;
        const t = tf.sigmoid(tf.mul(s.omega, tf.sub(amMap, s.sigma))).expandDims(-1);
        const erased = tf.sub(pairX!, tf.mul(t, tf.sub(pairX!, s.eraseValue)));
        const am = amNet.head(amNet.features(erased, false), false);
        const score = s.amScore === 'softmax' ? tf.softmax(am) : tf.sigmoid(am);
        const perPair = tf.sum(tf.mul(score, seeds!), -1);
        const amW = tf.tensor1d(index.map((n) => (batch.eOnly?.[n] ? 0 : 1)));
        const am1 = keep(tf.div(tf.sum(tf.mul(perPair, amW)), tf.sum(amW)) as tfjs.Scalar);
        parts.am = am1;
        total = tf.add(total, tf.mul(am1, s.alpha));
      }
      if (useE) {
        const targets = tf.gather(batch.masks!, tf.tensor1d(index, 'int32'));
        const weight = tf.tensor1d(masked.map((m) => (m ? 1 : 0)));
        const perPair = tf.mean(tf.squaredDifference(map, targets), [1, 2]);
        const e1 = keep(tf.div(tf.sum(tf.mul(perPair, weight)), tf.sum(weight)) as tfjs.Scalar);
        parts.e = e1;
        total = tf.add(total, tf.mul(e1, s.omegaE));
      }
      return total;
    }, vars);
    const num = (t?: tfjs.Tensor) => (t ? t.dataSync()[0]! : 0);
    const result = {
      grads,
      lossCl: num(parts.cl),
      lossAm: num(parts.am),
      lossE: num(parts.e),
      total: num(value),
      rawMax: parts.rawMax ? (parts.rawMax.dataSync() as Float32Array) : new Float32Array(0),
    };
    value.dispose();
    return result;
  } finally {
    tf.dispose([...kept, pairX, seeds, w].filter((t): t is tfjs.Tensor => t !== null));
  }
}
