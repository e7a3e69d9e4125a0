import { BadInputError, type Layout, type Tensor } from '@gradscope/core';

/**
 * Where the values of one image `[1, …]` sit in its flat data: value (channel `c`, pixel `p = y·W + x`)
 * is at `c · channelStride + p · pixelStride` (NCHW: strides H·W and 1; NHWC: 1 and C).
 */
export interface ImageGeometry {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly channelStride: number;
  readonly pixelStride: number;
}

/** The geometry of a `[1, C, H, W]` (NCHW) or `[1, H, W, C]` (NHWC) input. */
export function imageGeometry(input: Tensor, layout: Layout): ImageGeometry {
  if (input.shape.length !== 4 || input.shape[0] !== 1)
    throw new BadInputError(`metrics take one image [1, …] of rank 4, got [${input.shape.join(', ')}]`);
  const [, a, b, c] = input.shape as [number, number, number, number];
  return layout === 'NCHW'
    ? { channels: a, height: b, width: c, channelStride: b * c, pixelStride: 1 }
    : { channels: c, height: a, width: b, channelStride: 1, pixelStride: c };
}

/** Checks that `t` (a map or a mask, named `what`) is `[H, W]` at the image's resolution. */
export function checkPlane(t: Tensor, g: Pick<ImageGeometry, 'height' | 'width'>, what: string): void {
  const ok = t.shape.length === 2 && t.shape[0] === g.height && t.shape[1] === g.width;
  if (!ok) throw new BadInputError(`the ${what} must be [${g.height}, ${g.width}], got [${t.shape.join(', ')}]`);
}
