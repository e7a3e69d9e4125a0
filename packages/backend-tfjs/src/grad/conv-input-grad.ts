import * as tf from '@tensorflow/tfjs';

export type ConvKind = 'conv' | 'depthwise';

export interface ConvAttrs {
  readonly strides: number | readonly number[];
  readonly pad: 'same' | 'valid' | number | readonly (readonly number[])[];
  readonly dilations?: number | readonly number[];
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** Returns the prepared kernel for `key`, computing it with `make` at most once per weight value. */
export type KernelSource = (key: string, make: () => tf.Tensor4D) => tf.Tensor4D;

/** A {@link KernelSource} without caching (the caller disposes what it returns, e.g. in a tidy). */
export const uncachedKernels: KernelSource = (_, make) => make();

const pair = (v: number | readonly number[] | undefined): [number, number] =>
  v === undefined ? [1, 1] : typeof v === 'number' ? [v, v] : [v[0]!, v[1] ?? v[0]!];

/**
 * A kernel ready for {@link convInputGrad}: rows ≡ ph (mod sh) and columns ≡ pw (mod sw) of `w`
 * (all of it for stride 1), spatially flipped; a conv kernel also swaps in/out channels
 * (`[kh, kw, Cout, Cin]`), a depthwise `[kh, kw, C, M]` becomes `[kh, kw, C·M, 1]`. Null when the
 * phase has no taps.
 */
export function flipKernel(
  w: tf.Tensor4D,
  kind: ConvKind,
  phase: [number, number] = [0, 0],
  stride: [number, number] = [1, 1],
): tf.Tensor4D | null {
  const [kh, kw, c, m] = w.shape;
  const mh = Math.ceil((kh - phase[0]) / stride[0]);
  const mw = Math.ceil((kw - phase[1]) / stride[1]);
  if (mh <= 0 || mw <= 0) return null;
  return tf.tidy((): tf.Tensor4D => {
    let t: tf.Tensor4D = w;
    if (stride[0] > 1 || stride[1] > 1) {
      const rows = Array.from({ length: mh }, (_, i) =>
        tf.slice(w, [phase[0] + i * stride[0], 0, 0, 0], [1, kw, c, m]),
      );
      t = rows.length === 1 ? rows[0]! : tf.concat(rows, 0);
      const cols = Array.from({ length: mw }, (_, j) =>
        tf.slice(t, [0, phase[1] + j * stride[1], 0, 0], [mh, 1, c, m]),
      );
      t = cols.length === 1 ? cols[0]! : tf.concat(cols, 1);
    }
    const r = tf.reverse(t, [0, 1]);
    if (kind === 'conv') return tf.transpose(r, [0, 1, 3, 2]);
    return m === 1 ? r : (tf.reshape(r, [mh, mw, c * m, 1]) as tf.Tensor4D);
  });
}

/** Correlates `g` (already padded) with a prepared kernel, stride 1, valid. */
function correlate(g: tf.Tensor4D, k: tf.Tensor4D, kind: ConvKind, m: number, dil: [number, number]): tf.Tensor4D {
  if (kind === 'conv') return tf.conv2d(g, k, 1, 'valid', 'NHWC', dil);
  const dx = tf.depthwiseConv2d(g, k, 1, 'valid', 'NHWC', dil);
  if (m === 1) return dx;
  const [n, h, w, cm] = dx.shape;
  return tf.sum(tf.reshape(dx, [n, h, w, cm / m, m]), 4);
}

/**
 * d(sum(dy · conv(x, w)))/dx for an NHWC conv (or depthwise conv) using forward kernels only (no
 * `Conv2DBackpropInput` / `DepthwiseConv2dNativeBackpropInput`: tfjs-wasm lacks the latter and its
 * former is a slow naive loop).
 * - stride 1: `dy` padded by (effective kernel − 1 − forward pad), correlated with the flipped kernel;
 * - stride s > 1: sub-pixel decomposition: input rows ≡ φ (mod s) only meet kernel taps ≡ (φ + pad)
 *   (mod s), so each of the s² phases is a stride-1 correlation of `dy` with that flipped sub-kernel,
 *   and the phases are interleaved. Same multiply count as the forward conv (zero-dilating `dy`
 *   instead would cost s² times more).
 */
export function convInputGrad(
  dy: tf.Tensor4D,
  xShape: readonly number[],
  w: tf.Tensor4D,
  kind: ConvKind,
  attrs: ConvAttrs,
  kernels: KernelSource = uncachedKernels,
): tf.Tensor4D {
  return tf.tidy((): tf.Tensor4D => {
    const [n, h, wd, c] = xShape as [number, number, number, number];
    const info = tf.backend_util.computeConv2DInfo(
      [n, h, wd, c],
      w.shape,
      pair(attrs.strides),
      pair(attrs.dilations),
      attrs.pad as 'same',
      attrs.dimRoundingMode,
      kind === 'depthwise',
    );
    const [sh, sw] = [info.strideHeight, info.strideWidth];
    const dil: [number, number] = [info.dilationHeight, info.dilationWidth];
    const m = w.shape[3];
    const [, ho, wo] = dy.shape;
    const { top, left } = info.padInfo;
    if (sh === 1 && sw === 1) {
      const [kh, kw] = [info.effectiveFilterHeight, info.effectiveFilterWidth];
      const [t, l] = [kh - 1 - top, kw - 1 - left];
      const [b, r] = [h + kh - 1 - t - ho, wd + kw - 1 - l - wo];
      let g = tf.pad(dy, [
        [0, 0],
        [Math.max(t, 0), Math.max(b, 0)],
        [Math.max(l, 0), Math.max(r, 0)],
        [0, 0],
      ]);
      if (t < 0 || l < 0 || b < 0 || r < 0)
        g = tf.slice(g, [0, Math.max(-t, 0), Math.max(-l, 0), 0], [n, h + kh - 1, wd + kw - 1, g.shape[3]]);
      return correlate(
        g,
        kernels('s1', () => flipKernel(w, kind)!),
        kind,
        m,
        dil,
      );
    }
    // buffer row R = t·sh + φh holds dx row R − top (t ∈ [0, th)); likewise for columns
    const th = Math.ceil((h + top) / sh);
    const tw = Math.ceil((wd + left) / sw);
    const cin = c;
    const phase = (ph: number, pw: number): tf.Tensor4D => {
      const k = kernels(
        `${ph},${pw}`,
        () =>
          flipKernel(w, kind, [ph, pw], [sh, sw]) ??
          tf.zeros([1, 1, kind === 'conv' ? w.shape[3] : c * m, kind === 'conv' ? c : 1]),
      );
      const [mh, mw] = k.shape;
      const g = tf.pad(dy, [
        [0, 0],
        [mh - 1, Math.max(th - ho, 0)],
        [mw - 1, Math.max(tw - wo, 0)],
        [0, 0],
      ]);
      const out = correlate(g, k, kind, m, [1, 1]);
      return out.shape[1] === th && out.shape[2] === tw ? out : tf.slice(out, [0, 0, 0, 0], [n, th, tw, cin]);
    };
    const rows = Array.from({ length: sh }, (_, ph) => {
      const cols = Array.from({ length: sw }, (_, pw) => tf.reshape(phase(ph, pw), [n * th * tw, 1, cin]));
      return tf.reshape(cols.length === 1 ? cols[0]! : tf.concat(cols, 1), [n * th, 1, tw * sw * cin]);
    });
    const buf = tf.reshape(rows.length === 1 ? rows[0]! : tf.concat(rows, 1), [n, th * sh, tw * sw, cin]);
    return tf.slice(buf, [0, top, left, 0], [n, h, wd, cin]) as tf.Tensor4D;
  });
}
