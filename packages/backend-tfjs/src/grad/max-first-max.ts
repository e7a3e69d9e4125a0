import * as tf from '@tensorflow/tfjs';

/**
 * Backward of y = max(x, axes) that gives each output's gradient to the FIRST maximal element of
 * its reduction window in row-major order, like torch's `adaptive_max_pool2d` / `max(dim)` and
 * gradscope's ONNX GlobalMaxPool rule. tfjs's own rule gives it to every tied element (a dead ReLU
 * channel of zeros would pass the gradient everywhere). The reduced axes are moved last and
 * flattened, `argMax` picks the first maximum, and `oneHot` places dy there.
 */
export function maxFirstMaxGrad(dy: tf.Tensor, x: tf.Tensor, axes: readonly number[]): tf.Tensor {
  return tf.tidy(() => {
    const rank = x.rank;
    const reduced = [...axes].map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
    const kept = [...Array(rank).keys()].filter((a) => !reduced.includes(a));
    const perm = [...kept, ...reduced];
    const identity = perm.every((p, i) => p === i);
    const outer = kept.reduce((n, a) => n * x.shape[a]!, 1);
    const R = reduced.reduce((n, a) => n * x.shape[a]!, 1);
    const xt = identity ? x : tf.transpose(x, perm);
    const first = tf.argMax(tf.reshape(xt, [outer, R]), 1);
    // oneHot in its default int32 (tfjs-wasm's kernel ignores a float32 dtype), then cast
    const routed = tf.mul(tf.cast(tf.oneHot(first, R), 'float32'), tf.reshape(dy, [outer, 1]));
    const back = tf.reshape(
      routed,
      perm.map((p) => x.shape[p]!),
    );
    if (identity) return back;
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return tf.transpose(back, inverse);
  });
}
