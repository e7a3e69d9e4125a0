import * as tf from '@tensorflow/tfjs';
import type { ReluMode } from '@gradscope/core';
import { customGrad1 } from './custom-grad.js';

/**
 * The backward rule of a ReLU (optionally capped at `max`, e.g. ReLU6) under a {@link ReluMode}:
 * - `standard`: `g · [x > 0] · [x < max]`
 * - `guided` (Springenberg et al. 2015): `g · [x > 0] · [x < max] · [g > 0]`
 * - `deconvnet` (Zeiler & Fergus 2014): `relu(g)`, ignoring the forward input.
 */
export function reluBackward(dy: tf.Tensor, x: tf.Tensor, mode: ReluModes, max?: number | null): tf.Tensor {
  if (typeof mode !== 'string') return rowBlocksBackward(dy, x, mode, max);
  return tf.tidy(() => {
    if (mode === 'deconvnet') return tf.relu(dy);
    let mask = tf.step(x);
    if (max != null) mask = tf.mul(mask, tf.cast(tf.less(x, max), 'float32'));
    if (mode === 'guided') mask = tf.mul(mask, tf.step(dy));
    return tf.mul(dy, mask);
  });
}

/**
 * One ReLU mode for the whole batch, or one per row block: `[m0, m1, …]` splits the batch axis into
 * equal blocks, rows `[b·n, (b+1)·n)` following `m_b` (several modes on one tape, see `captureMerged`).
 */
export type ReluModes = ReluMode | readonly ReluMode[];

/**
 * {@link reluBackward} with one mode per row block, as `dy · mx · md` where each row's masks are
 * `[x > 0]` (`[x < max]`) or 1 (deconvnet ignores x) and `[dy > 0]` or 1 (standard), picked by a
 * per-row 0/1 column: a few element-wise ops over the whole batch (slicing the batch into blocks
 * and concatenating is several times slower on tfjs-wasm).
 */
function rowBlocksBackward(dy: tf.Tensor, x: tf.Tensor, modes: readonly ReluMode[], max?: number | null): tf.Tensor {
  if (modes.every((m) => m === modes[0])) return reluBackward(dy, x, modes[0]!, max);
  const rows = dy.shape[0]!;
  if (rows % modes.length !== 0)
    throw new RangeError(`reluBackward: ${rows} rows do not split into ${modes.length} ReLU-mode blocks`);
  const per = rows / modes.length;
  const column = (on: (m: ReluMode) => boolean) =>
    tf.tensor(
      Float32Array.from({ length: rows }, (_, r) => (on(modes[Math.floor(r / per)]!) ? 1 : 0)),
      [rows, ...dy.shape.slice(1).map(() => 1)],
    );
  return tf.tidy(() => {
    const byX = column((m) => m !== 'deconvnet');
    const byDy = column((m) => m !== 'standard');
    // [0 < x < max] as step(x · (max − x)): tfjs-wasm's Less is slow
    let mx = max == null ? tf.step(x) : tf.step(tf.mul(x, tf.sub(max, x)));
    mx = tf.add(tf.mul(mx, byX), tf.sub(1, byX));
    const md = tf.add(tf.mul(tf.step(dy), byDy), tf.sub(1, byDy));
    return tf.mul(tf.mul(dy, mx), md);
  });
}

/** `relu(x)` (or `clip(x, 0, max)`) whose gradient follows {@link reluBackward} for `mode`. */
export function reluWithMode(x: tf.Tensor, mode: ReluModes, max?: number | null): tf.Tensor {
  const f = customGrad1((xx, save) => {
    save([xx]);
    return {
      value: max == null ? tf.relu(xx) : tf.clipByValue(xx, 0, max),
      gradFunc: (dy, saved) => reluBackward(dy, saved[0]!, mode, max),
    };
  });
  return f(x);
}

/**
 * The mode a rectifier follows under `CaptureRequest.rectifiers`: with `relu`, capped rectifiers
 * (ReLU6, `clip(x, 0, max)`) keep the standard backward and only plain ReLUs follow `mode`.
 */
export function modeFor(mode: ReluModes, capped: boolean, rectifiers: 'all' | 'relu' = 'all'): ReluModes {
  return capped && rectifiers === 'relu' ? 'standard' : mode;
}
