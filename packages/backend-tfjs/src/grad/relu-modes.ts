import * as tf from '@tensorflow/tfjs';
import type { ReluMode } from '@gradscope/core';
import { customGrad1 } from './custom-grad.js';

/**
 * The backward rule of a ReLU (optionally capped at `max`, e.g. ReLU6) under a {@link ReluMode}:
 * - `standard`: `g · [x > 0] · [x < max]`
 * - `guided` (Springenberg et al. 2015): `g · [x > 0] · [x < max] · [g > 0]`
 * - `deconvnet` (Zeiler & Fergus 2014): `relu(g)`, ignoring the forward input.
 */
export function reluBackward(dy: tf.Tensor, x: tf.Tensor, mode: ReluMode, max?: number | null): tf.Tensor {
  return tf.tidy(() => {
    if (mode === 'deconvnet') return tf.relu(dy);
    let mask = tf.step(x);
    if (max != null) mask = tf.mul(mask, tf.cast(tf.less(x, max), 'float32'));
    if (mode === 'guided') mask = tf.mul(mask, tf.step(dy));
    return tf.mul(dy, mask);
  });
}

/** `relu(x)` (or `clip(x, 0, max)`) whose gradient follows {@link reluBackward} for `mode`. */
export function reluWithMode(x: tf.Tensor, mode: ReluMode, max?: number | null): tf.Tensor {
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
export function modeFor(mode: ReluMode, capped: boolean, rectifiers: 'all' | 'relu' = 'all'): ReluMode {
  return capped && rectifiers === 'relu' ? 'standard' : mode;
}
