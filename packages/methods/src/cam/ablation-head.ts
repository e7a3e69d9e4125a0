import type { Target } from '@gradscope/core';
import { scoresOf } from '../perturbation/scores.js';
import type { CamLayer } from './cam-spec.js';

/**
 * Ablation-CAM's ablated scores `s_c` in closed form, when the layer is the one the model's declared
 * linear head pools (`Model.head`: layer → global average pooling → dense), else null.
 *
 * Filling channel c with v changes only its pooled value, from mean(A_c) to v, so the ablated logits
 * are `logits_c = logits(A) − W[:, c]·(mean(A_c) − v_c)` with W the dense weights `[K, C]` and
 * `logits(A)` one tail run of the unmodified activations: the numbers of 2048 tail runs of ResNet-50's
 * pooling and dense layer, to float precision, for one run. A class target reads its logit only.
 * Computed `batch` channels at a time, reporting progress and checking the signal between chunks.
 */
export async function headAblatedScores(
  l: CamLayer,
  target: Target,
  value: (c: number) => number,
  batch: number,
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
  const classOnly = target.kind === 'class' && target.index !== undefined;
  const s = new Float32Array(C),
    out = classOnly ? null : new Float32Array(Math.min(batch, C) * K);
  // `batch` channels at a time, as the tail runs would be: progress and cancellation between chunks
  for (let c0 = 0; c0 < C; c0 += batch) {
    l.context.checkAborted();
    const c1 = Math.min(C, c0 + batch);
    const d = new Float64Array(c1 - c0);
    for (let c = c0; c < c1; c++) {
      let sum = 0;
      for (let i = c * hw; i < (c + 1) * hw; i++) sum += A[i]!;
      d[c - c0] = sum / hw - value(c);
    }
    if (classOnly) {
      // the target's score is ±its logit: the same numbers as scoresOf on the full logits
      const k = target.index!,
        sign = target.negate ? -1 : 1;
      for (let c = c0; c < c1; c++) s[c] = sign * Math.fround(y0[k]! - W[k * C + c]! * d[c - c0]!);
    } else {
      // W is read along its rows; the chunk's logits rows are written side by side
      for (let k = 0; k < K; k++) {
        const yk = y0[k]!,
          wk = k * C;
        for (let c = c0; c < c1; c++) out![(c - c0) * K + k] = yk - W[wk + c]! * d[c - c0]!;
      }
      s.set(scoresOf({ data: out!.subarray(0, (c1 - c0) * K), shape: [c1 - c0, K] }, target), c0);
    }
    l.context.onProgress(c1, C);
  }
  return s;
}
