import type * as tfjs from '@tensorflow/tfjs';

/** The parts of the tfjs namespace the training kernels use (pass `@tensorflow/tfjs` itself). */
export type TfKernelApi = Pick<typeof tfjs, 'getKernel' | 'registerKernel' | 'unregisterKernel' | 'backend_util'>;

type KernelBackend = tfjs.KernelBackend & { disposeIntermediateTensorInfo?(t: tfjs.TensorInfo): void };

/**
 * A backend's own forward kernels (Transpose, PadV2, Slice, Conv2D, DepthwiseConv2dNative, Sum,
 * Reshape) called directly, with every intermediate released by `release()`.
 */
export class KernelOps {
  private readonly temps: tfjs.TensorInfo[] = [];

  constructor(
    private readonly tf: TfKernelApi,
    private readonly backendName: string,
    private readonly backend: KernelBackend,
  ) {}

  private run(name: string, inputs: tfjs.NamedTensorInfoMap, attrs: tfjs.NamedAttrMap): tfjs.TensorInfo {
    const k = this.tf.getKernel(name, this.backendName);
    if (!k) throw new Error(`training kernels: backend '${this.backendName}' has no '${name}' kernel`);
    const out = k.kernelFunc({ inputs, attrs, backend: this.backend }) as tfjs.TensorInfo;
    this.temps.push(out);
    return out;
  }

  transpose(x: tfjs.TensorInfo, perm: number[]): tfjs.TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  /** Zero padding of an NHWC tensor's spatial axes; a no-op when every pad is 0. */
  pad2d(x: tfjs.TensorInfo, top: number, bottom: number, left: number, right: number): tfjs.TensorInfo {
    if (top === 0 && bottom === 0 && left === 0 && right === 0) return x;
    return this.run(
      'PadV2',
      { x },
      {
        paddings: [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ],
        constantValue: 0,
      },
    );
  }

  /** Zero padding with per-axis `[before, after]`; negative amounts crop instead. */
  padOrCrop(x: tfjs.TensorInfo, paddings: [number, number][]): tfjs.TensorInfo {
    const grow = paddings.map(([a, b]) => [Math.max(0, a), Math.max(0, b)] as [number, number]);
    const y = grow.some(([a, b]) => a > 0 || b > 0)
      ? this.run('PadV2', { x }, { paddings: grow, constantValue: 0 })
      : x;
    const begin = paddings.map(([a]) => Math.max(0, -a));
    const size = y.shape.map((d, i) => d - begin[i]! - Math.max(0, -paddings[i]![1]));
    return this.slice(y, begin, size);
  }

  reverse(x: tfjs.TensorInfo, dims: number[]): tfjs.TensorInfo {
    return this.run('Reverse', { x }, { dims });
  }

  slice(x: tfjs.TensorInfo, begin: number[], size: number[]): tfjs.TensorInfo {
    if (begin.every((b) => b === 0) && size.every((s, i) => s === x.shape[i])) return x;
    return this.run('Slice', { x }, { begin, size });
  }

  reshape(x: tfjs.TensorInfo, shape: number[]): tfjs.TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  sum(x: tfjs.TensorInfo, axis: number[]): tfjs.TensorInfo {
    return this.run('Sum', { x }, { axis, keepDims: false });
  }

  /** Stride-1, 'valid' NHWC convolution with the given filter dilation. */
  conv2d(x: tfjs.TensorInfo, filter: tfjs.TensorInfo, dilations: [number, number]): tfjs.TensorInfo {
    return this.run('Conv2D', { x, filter }, { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations });
  }

  /** Stride-1, 'valid' NHWC depthwise convolution with the given filter dilation. */
  depthwiseConv2d(x: tfjs.TensorInfo, filter: tfjs.TensorInfo, dilations: [number, number]): tfjs.TensorInfo {
    return this.run(
      'DepthwiseConv2dNative',
      { x, filter },
      { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations },
    );
  }

  /**
   * The `dy` operand of an input gradient as a 'valid' convolution: `dy` `[B, Ho, Wo, K]`
   * zero-dilated by the stride (zeros interleaved along W, then H, with rank ≤ 4 ops), padded by
   * `f − 1 − padBefore` in front and cropped or padded behind so that a 'valid' convolution with an
   * `f`-sized kernel yields `outSize`.
   */
  dilatePadForInputGrad(
    dy: tfjs.TensorInfo,
    stride: [number, number],
    f: [number, number],
    padBefore: [number, number],
    outSize: [number, number],
  ): tfjs.TensorInfo {
    const [B, Ho, Wo, K] = dy.shape as [number, number, number, number];
    const [sh, sw] = stride;
    let d = dy;
    if (sw > 1)
      d = this.reshape(
        this.padOrCrop(this.reshape(d, [B * Ho, Wo, 1, K]), [
          [0, 0],
          [0, 0],
          [0, sw - 1],
          [0, 0],
        ]),
        [B, Ho, Wo * sw, K],
      );
    if (sh > 1)
      d = this.reshape(
        this.padOrCrop(this.reshape(d, [B * Ho, 1, Wo * sw * K]), [
          [0, 0],
          [0, sh - 1],
          [0, 0],
        ]),
        [B, Ho * sh, Wo * sw, K],
      );
    const pt = f[0] - 1 - padBefore[0],
      pl = f[1] - 1 - padBefore[1];
    return this.padOrCrop(d, [
      [0, 0],
      [pt, outSize[0] + f[0] - 1 - pt - d.shape[1]!],
      [pl, outSize[1] + f[1] - 1 - pl - d.shape[2]!],
      [0, 0],
    ]);
  }

  /** Takes `t` out of the intermediates so `release()` keeps it (the kernel's output). */
  keep(t: tfjs.TensorInfo): tfjs.TensorInfo {
    const i = this.temps.indexOf(t);
    if (i >= 0) this.temps.splice(i, 1);
    return t;
  }

  /** Disposes every intermediate this object created and did not `keep`. */
  release(): void {
    for (const t of this.temps.splice(0)) {
      if (this.backend.disposeIntermediateTensorInfo) this.backend.disposeIntermediateTensorInfo(t);
      else this.backend.disposeData(t.dataId);
    }
  }
}
