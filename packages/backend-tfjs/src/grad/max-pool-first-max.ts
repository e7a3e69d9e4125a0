import * as tf from '@tensorflow/tfjs';

export interface PoolAttrs {
  readonly filterSize: number | readonly number[];
  readonly strides: number | readonly number[];
  readonly pad: 'same' | 'valid' | number;
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

const pair = (v: number | readonly number[]): [number, number] =>
  typeof v === 'number' ? [v, v] : [v[0]!, v[1] ?? v[0]!];

/**
 * MaxPool backward that routes each window's gradient to the FIRST maximal element in row-major
 * window order (PyTorch's and onnxruntime's rule; tfjs-wasm routes to the last). For every window
 * offset (di, dj) in order: `hit = [x(di,dj) == y] · inside · free`, `free −= hit`, and `dy · hit` is
 * added at the input positions (i·sh + di, j·sw + dj). NHWC; `inside` excludes padding.
 *
 * Fast paths for tfjs-wasm, whose StridedSlice, Slice and rank-6 transposes are slow generic
 * kernels: `x(di,dj)` is read with a depthwise conv whose kernel is one-hot at (di, dj) (exact:
 * 1·x plus zeros), and writes are accumulated per stride phase (rows ≡ di mod sh, columns ≡ dj mod
 * sw) with 4-D pads, then interleaved once with rank-3 concats.
 */
export function maxPoolFirstMaxGrad(dy: tf.Tensor4D, x: tf.Tensor4D, y: tf.Tensor4D, attrs: PoolAttrs): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, c] = x.shape;
    const info = tf.backend_util.computePool2DInfo(
      x.shape,
      pair(attrs.filterSize),
      pair(attrs.strides),
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    const { top, left, bottom, right } = info.padInfo;
    const [fh, fw, sh, sw, ho, wo] = [
      info.filterHeight,
      info.filterWidth,
      info.strideHeight,
      info.strideWidth,
      info.outHeight,
      info.outWidth,
    ];
    const padded = top + bottom + left + right > 0;
    const xp = padded
      ? tf.pad(x, [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ])
      : x;
    /** [1, ho, wo, 1]: 1 where window offset (di, dj) reads a real input position. */
    const inside = (di: number, dj: number) => {
      const m = new Float32Array(ho * wo);
      for (let i = 0; i < ho; i++) {
        const r = i * sh + di - top;
        if (r < 0 || r >= h) continue;
        for (let j = 0; j < wo; j++) {
          const q = j * sw + dj - left;
          if (q >= 0 && q < w) m[i * wo + j] = 1;
        }
      }
      return tf.tensor4d(m, [1, ho, wo, 1]);
    };
    // phase grid: output positions land on rows a·sh + b of an [n, A·sh, B·sw, c] buffer
    const A = Math.max(Math.ceil((top + h) / sh), ho - 1 + Math.ceil(fh / sh));
    const B = Math.max(Math.ceil((left + w) / sw), wo - 1 + Math.ceil(fw / sw));
    let free: tf.Tensor = tf.onesLike(y);
    const acc = new Map<number, tf.Tensor>();
    for (let di = 0; di < fh; di++) {
      for (let dj = 0; dj < fw; dj++) {
        const k = new Float32Array(fh * fw * c);
        k.fill(1, (di * fw + dj) * c, (di * fw + dj + 1) * c);
        const xo = tf.depthwiseConv2d(xp, tf.tensor4d(k, [fh, fw, c, 1]), [sh, sw], 'valid');
        let hit = tf.mul(tf.cast(tf.equal(xo, y), 'float32'), free);
        if (padded) hit = tf.mul(hit, inside(di, dj));
        free = tf.sub(free, hit);
        const [a, b, cc, d] = [Math.floor(di / sh), di % sh, Math.floor(dj / sw), dj % sw];
        const g = tf.pad(tf.mul(dy, hit), [
          [0, 0],
          [a, A - a - ho],
          [cc, B - cc - wo],
          [0, 0],
        ]);
        const phase = b * sw + d;
        acc.set(phase, acc.has(phase) ? tf.add(acc.get(phase)!, g) : g);
      }
    }
    // interleave the phases: columns within each row phase, then the row phases
    const rows = Array.from({ length: sh }, (_, b) => {
      const cols = Array.from({ length: sw }, (_, d) =>
        tf.reshape(acc.get(b * sw + d) ?? tf.zeros([n, A, B, c]), [n * A * B, 1, c]),
      );
      return tf.reshape(cols.length === 1 ? cols[0]! : tf.concat(cols, 1), [n * A, 1, B * sw * c]);
    });
    const back = tf.reshape(rows.length === 1 ? rows[0]! : tf.concat(rows, 1), [n, A * sh, B * sw, c]);
    return (
      A * sh === h && B * sw === w && top === 0 && left === 0 ? back : tf.slice(back, [0, top, left, 0], [n, h, w, c])
    ) as tf.Tensor4D;
  });
}
