import type * as tfjs from '@tensorflow/tfjs';
import { KernelOps, type TfKernelApi } from './kernel-ops.js';

/**
 * A `Conv2DBackpropFilter` kernel built from a backend's forward kernels.
 *
 * The filter gradient of `y = conv2d(x, W)` (stride s, padding p) is
 * `dW[kh, kw, ci, co] = Σ_{b, oh, ow} xp[b, oh·s + kh, ow·s + kw, ci] · dy[b, oh, ow, co]`,
 * with `xp` the zero-padded input. That is itself a forward, stride-1 'valid' convolution whose
 * "batch" is `ci`, whose "channels" are `b` and whose filter is `dy` dilated by `s`:
 * `conv2d(transpose(xp, [3,1,2,0]), transpose(dy, [1,2,0,3]), dilation s)` → `[ci, kh, kw, co]`,
 * transposed back to `[kh, kw, ci, co]`. Handles any stride, 'same'/'valid'/numeric/explicit
 * padding, NHWC and NCHW (by transposing to NHWC). Output `[fh, fw, ci, co]`.
 */
export function conv2dBackpropFilterKernel(tf: TfKernelApi, backendName: string): tfjs.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: tfjs.TensorInfo; dy: tfjs.TensorInfo };
    const a = attrs as unknown as tfjs.Conv2DBackpropFilterAttrs;
    const ops = new KernelOps(tf, backendName, backend as tfjs.KernelBackend);
    try {
      const nchw = a.dataFormat === 'NCHW';
      const xs = nchw ? ops.transpose(x, [0, 2, 3, 1]) : x;
      const dys = nchw ? ops.transpose(dy, [0, 2, 3, 1]) : dy;
      const [B, H, W, C] = xs.shape as [number, number, number, number];
      const info = tf.backend_util.computeConv2DInfo(
        [B, H, W, C],
        a.filterShape,
        a.strides,
        1,
        a.pad,
        a.dimRoundingMode,
        false,
        'channelsLast',
      );
      const { top, left } = info.padInfo;
      const sh = info.strideHeight,
        sw = info.strideWidth;
      // Rows/cols of the padded input that the convolution actually reads.
      const rows = (info.outHeight - 1) * sh + info.filterHeight;
      const cols = (info.outWidth - 1) * sw + info.filterWidth;
      const padded = ops.pad2d(xs, top, Math.max(0, rows - top - H), left, Math.max(0, cols - left - W));
      const xp = ops.slice(padded, [0, 0, 0, 0], [B, rows, cols, C]);
      const xt = ops.transpose(xp, [3, 1, 2, 0]); // [C, rows, cols, B]
      const f = ops.transpose(dys, [1, 2, 0, 3]); // [Ho, Wo, B, Co]
      const r = ops.conv2d(xt, f, [sh, sw]); // [C, fh, fw, Co]
      return ops.keep(ops.transpose(r, [1, 2, 0, 3]));
    } finally {
      ops.release();
    }
  };
}
