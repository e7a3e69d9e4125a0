import type * as tfjs from '@tensorflow/tfjs';
import { KernelOps, type TfKernelApi } from './kernel-ops.js';

/**
 * A `Conv2DBackpropInput` kernel built from forward kernels (tfjs-wasm's own is a naive loop, ≈20×
 * slower than its forward conv).
 *
 * `dx` of `y = conv2d(x, W)` (stride s, padding p) is the 'valid' forward convolution of `dy`,
 * zero-dilated by `s` and padded by `f − 1 − p_before` (and whatever makes the output `inputShape`),
 * with the kernel flipped spatially and its channel axes swapped: `W'[kh, kw, co, ci] =
 * W[fh−1−kh, fw−1−kw, ci, co]`. Handles any stride, any padding, NHWC and NCHW (via transposes).
 */
export function conv2dBackpropInputKernel(tf: TfKernelApi, backendName: string): tfjs.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: tfjs.TensorInfo; filter: tfjs.TensorInfo };
    const a = attrs as unknown as tfjs.Conv2DBackpropInputAttrs;
    const ops = new KernelOps(tf, backendName, backend as tfjs.KernelBackend);
    try {
      const nchw = a.dataFormat === 'NCHW';
      const s = a.inputShape;
      const xShape: [number, number, number, number] = nchw ? [s[0], s[2], s[3], s[1]] : [s[0], s[1], s[2], s[3]];
      const dys = nchw ? ops.transpose(dy, [0, 2, 3, 1]) : dy;
      const [fh, fw] = filter.shape as [number, number, number, number];
      const info = tf.backend_util.computeConv2DInfo(
        xShape,
        filter.shape as [number, number, number, number],
        a.strides,
        1,
        a.pad,
        a.dimRoundingMode,
        false,
        'channelsLast',
      );
      const dp = ops.dilatePadForInputGrad(
        dys,
        [info.strideHeight, info.strideWidth],
        [fh, fw],
        [info.padInfo.top, info.padInfo.left],
        [xShape[1], xShape[2]],
      );
      const wf = ops.transpose(ops.reverse(filter, [0, 1]), [0, 1, 3, 2]);
      const dx = ops.conv2d(dp, wf, [1, 1]); // [B, H, W, Ci]
      return ops.keep(nchw ? ops.transpose(dx, [0, 3, 1, 2]) : dx);
    } finally {
      ops.release();
    }
  };
}
