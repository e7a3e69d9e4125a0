import type * as tfjs from '@tensorflow/tfjs';
import { KernelOps, type TfKernelApi } from './kernel-ops.js';

type DepthwiseAttrs = {
  strides: number | [number, number];
  dilations: number | [number, number];
  pad: 'valid' | 'same' | number | tfjs.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

function checkDilation(d: number | [number, number], kernel: string): void {
  const [a, b] = typeof d === 'number' ? [d, d] : d;
  if (a !== 1 || b !== 1)
    throw new Error(`${kernel}: dilation rates other than 1 are not supported (got [${a}, ${b}])`);
}

/**
 * A `DepthwiseConv2dNativeBackpropFilter` kernel from forward kernels.
 *
 * `dW[kh, kw, c, m] = Σ_{b, oh, ow} xp[b, oh·s + kh, ow·s + kw, c] · dy[b, oh, ow, c·M + m]` is a
 * forward depthwise convolution over an image whose channels are the pairs `(c, b)`
 * (`xp` as `[1, rows, cols, C·B]`), with `dy` as its `[Ho, Wo, C·B, M]` filter dilated by `s`,
 * followed by a sum over `b`. Output `[fh, fw, C, M]`. NHWC, dilation 1 (as tfjs's gradient).
 */
export function depthwiseConv2dBackpropFilterKernel(tf: TfKernelApi, backendName: string): tfjs.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: tfjs.TensorInfo; dy: tfjs.TensorInfo };
    const a = attrs as unknown as DepthwiseAttrs & { filterShape: [number, number, number, number] };
    checkDilation(a.dilations, 'DepthwiseConv2dNativeBackpropFilter');
    const ops = new KernelOps(tf, backendName, backend as tfjs.KernelBackend);
    try {
      const [B, H, W, C] = x.shape as [number, number, number, number];
      const [fh, fw, , M] = a.filterShape;
      const info = tf.backend_util.computeConv2DInfo(
        [B, H, W, C],
        a.filterShape,
        a.strides,
        1,
        a.pad,
        a.dimRoundingMode,
        true,
        'channelsLast',
      );
      const sh = info.strideHeight,
        sw = info.strideWidth,
        Ho = info.outHeight,
        Wo = info.outWidth;
      const rows = (Ho - 1) * sh + fh,
        cols = (Wo - 1) * sw + fw;
      const { top, left } = info.padInfo;
      const xp = ops.padOrCrop(x, [
        [0, 0],
        [top, rows - top - H],
        [left, cols - left - W],
        [0, 0],
      ]);
      const xi = ops.reshape(ops.transpose(xp, [1, 2, 3, 0]), [1, rows, cols, C * B]); // channel c·B + b
      const d5 = ops.reshape(dy, [B, Ho, Wo, C, M]);
      const f = ops.reshape(ops.transpose(d5, [1, 2, 3, 0, 4]), [Ho, Wo, C * B, M]);
      const r = ops.depthwiseConv2d(xi, f, [sh, sw]); // [1, fh, fw, C·B·M]
      return ops.keep(ops.sum(ops.reshape(r, [fh, fw, C, B, M]), [3]));
    } finally {
      ops.release();
    }
  };
}

/**
 * A `DepthwiseConv2dNativeBackpropInput` kernel from forward kernels.
 *
 * `dx` is the 'valid' depthwise convolution of `dy` — zero-dilated by the stride and padded by
 * `fh − 1 − top` (resp. the remainder) — with the spatially flipped filter, one filter per output
 * channel `c·M + m`, summed over `m`. Output `inputShape` `[B, H, W, C]`. NHWC, dilation 1.
 */
export function depthwiseConv2dBackpropInputKernel(tf: TfKernelApi, backendName: string): tfjs.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: tfjs.TensorInfo; filter: tfjs.TensorInfo };
    const a = attrs as unknown as DepthwiseAttrs & { inputShape: [number, number, number, number] };
    checkDilation(a.dilations, 'DepthwiseConv2dNativeBackpropInput');
    const ops = new KernelOps(tf, backendName, backend as tfjs.KernelBackend);
    try {
      const [B, H, W, C] = a.inputShape;
      const [fh, fw, , M] = filter.shape as [number, number, number, number];
      const info = tf.backend_util.computeConv2DInfo(
        a.inputShape,
        filter.shape as [number, number, number, number],
        a.strides,
        1,
        a.pad,
        a.dimRoundingMode,
        true,
        'channelsLast',
      );
      const sh = info.strideHeight,
        sw = info.strideWidth;
      const K = C * M;
      const dp = ops.dilatePadForInputGrad(dy, [sh, sw], [fh, fw], [info.padInfo.top, info.padInfo.left], [H, W]);
      const wf = ops.reshape(ops.reverse(filter, [0, 1]), [fh, fw, K, 1]);
      const r = ops.depthwiseConv2d(dp, wf, [1, 1]); // [B, H, W, C·M]
      return ops.keep(M === 1 ? ops.reshape(r, [B, H, W, C]) : ops.sum(ops.reshape(r, [B, H, W, C, M]), [4]));
    } finally {
      ops.release();
    }
  };
}
