import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@gradscope/core';

/** Moves the channel (last) axis of a rank ≥ 3 tensor to position 1: NHWC → NCHW. */
export function channelsFirst(t: tf.Tensor): tf.Tensor {
  if (t.rank < 3) return t.clone();
  const perm = [0, t.rank - 1, ...Array.from({ length: t.rank - 2 }, (_, i) => i + 1)];
  return tf.transpose(t, perm);
}

/** Downloads a tfjs tensor as a plain float32 tensor and disposes it. */
export async function download(t: tf.Tensor): Promise<Tensor> {
  try {
    const data = await t.data();
    return {
      data: data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>),
      shape: [...t.shape],
    };
  } finally {
    t.dispose();
  }
}

/** Downloads every tensor of a map (disposing them), keeping the keys. */
export async function downloadAll(m: ReadonlyMap<string, tf.Tensor>): Promise<Map<string, Tensor>> {
  const out = new Map<string, Tensor>();
  try {
    for (const [k, t] of m) out.set(k, await download(t));
  } finally {
    for (const t of m.values()) if (!t.isDisposed) t.dispose();
  }
  return out;
}
