import type { Target } from '@gradscope/core';
import { scoresOf } from '../perturbation/scores.js';
import type { CamLayer } from './cam-spec.js';

const BLOCK = 32;

/**
 * Ablation-CAM's ablated scores `s_c` in closed form, when the layer is the one the model's declared
 * linear head pools (`Model.head`: layer → global average pooling → dense), else null.
 *
 * Filling channel c with v changes only its pooled value, from mean(A_c) to v, so the ablated logits
 * are `logits_c = logits(A) − W[:, c]·(mean(A_c) − v_c)` with W the dense weights `[K, C]` and
 * `logits(A)` one tail run of the unmodified activations: the numbers of 2048 tail runs of ResNet-50's
 * pooling and dense layer, to float precision, for one run. A class target reads its logit only.
 */
export async function headAblatedScores(
  l: CamLayer,
  target: Target,
  value: (c: number) => number,
): Promise<Float32Array | null> {
  const head = l.model.head;
  const C = l.channels,
    hw = l.height * l.width;
  if (!head || head.featureLayer !== l.name || head.weights.shape.length !== 2 || head.weights.shape[1] !== C)
    return null;
  const K = head.weights.shape[0]!;
  const W = head.weights.data;
  const A = l.activations;
  const one = { data: A, shape: [1, C, l.height, l.width] };
  const y0 = (await l.context.runFromLayer(l.name, one, { progress: { offset: 0, total: C } })).data;
  if (y0.length !== K) return null;
  const d = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    let sum = 0;
    for (let i = c * hw; i < (c + 1) * hw; i++) sum += A[i]!;
    d[c] = sum / hw - value(c);
  }
  l.context.onProgress(C, C);
  if (target.kind === 'class' && target.index !== undefined) {
    // the target's score is ±its logit: the same numbers as scoresOf on the full logits, O(C)
    const k = target.index,
      sign = target.negate ? -1 : 1;
    return Float32Array.from(d, (dc, c) => sign * Math.fround(y0[k]! - W[k * C + c]! * dc));
  }
  // blocks of channels: W is read along its rows and only BLOCK rows of `out` are written at a time
  const out = new Float32Array(C * K);
  for (let c0 = 0; c0 < C; c0 += BLOCK) {
    const c1 = Math.min(C, c0 + BLOCK);
    for (let k = 0; k < K; k++) {
      const yk = y0[k]!,
        wk = k * C;
      for (let c = c0; c < c1; c++) out[c * K + k] = yk - W[wk + c]! * d[c]!;
    }
  }
  return scoresOf({ data: out, shape: [C, K] }, target);
}
