import { BadInputError, type Layout, type Tensor } from '@gradscope/core';

/**
 * One image `[1, C, H, W]` (NCHW) or `[1, H, W, C]` (NHWC) seen per pixel: `at(c, p)` is the index in
 * `data` of channel `c` at pixel `p = y·W + x`, whichever the layout, so a metric's per-pixel code is
 * written once for both.
 */
export interface PixelImage {
  readonly data: Float32Array;
  readonly C: number;
  readonly H: number;
  readonly W: number;
  readonly layout: Layout;
  at(c: number, p: number): number;
}

/** A {@link PixelImage} over `data` (a view: writes go to `data`) shaped like `[1, …]` in `layout`. */
export function pixelImage(data: Float32Array, shape: readonly number[], layout: Layout): PixelImage {
  if (shape.length !== 4 || shape[0] !== 1)
    throw new BadInputError(`expected one image [1, …] in ${layout}, got [${shape.join(', ')}]`);
  const [C, H, W] = layout === 'NCHW' ? [shape[1]!, shape[2]!, shape[3]!] : [shape[3]!, shape[1]!, shape[2]!];
  const HW = H * W;
  const at = layout === 'NCHW' ? (c: number, p: number) => c * HW + p : (c: number, p: number) => p * C + c;
  return { data, C, H, W, layout, at };
}

/** The subject's input and its `[H, W]` map, checked to agree on the image size. */
export function inputAndMap(input: Tensor, map: Tensor, layout: Layout): { image: PixelImage; map: Float32Array } {
  const image = pixelImage(input.data, input.shape, layout);
  if (map.data.length !== image.H * image.W)
    throw new BadInputError(
      `the map [${map.shape.join(', ')}] does not match the input's ${image.H}×${image.W} pixels (${layout})`,
    );
  return { image, map: map.data };
}
