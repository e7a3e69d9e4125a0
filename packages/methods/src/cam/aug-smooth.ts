import type { Layout, Tensor } from '@gradscope/core';

/**
 * pytorch-grad-cam's `aug_smooth` test-time augmentations (ttach's `HorizontalFlip` × `Multiply`):
 * {identity, horizontal flip} × pixel values {×0.9, ×1, ×1.1} of the normalised input, six in all.
 */
export const AUGMENTATIONS: readonly { readonly flip: boolean; readonly factor: number }[] = [false, true].flatMap(
  (flip) => [0.9, 1, 1.1].map((factor) => ({ flip, factor })),
);

/** `x·factor`, mirrored left–right when `flip`; `[1, …]` in `layout`. */
export function augment(x: Tensor, layout: Layout, flip: boolean, factor: number): Tensor {
  const [H, W, C] =
    layout === 'NCHW' ? [x.shape[2]!, x.shape[3]!, x.shape[1]!] : [x.shape[1]!, x.shape[2]!, x.shape[3]!];
  const out = new Float32Array(x.data.length);
  const f = Math.fround(factor);
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < H; y++) {
      for (let i = 0; i < W; i++) {
        const j = flip ? W - 1 - i : i;
        const at = (col: number) => (layout === 'NCHW' ? (c * H + y) * W + col : (y * W + col) * C + c);
        out[at(i)] = x.data[at(j)]! * f;
      }
    }
  }
  return { data: out, shape: [...x.shape] };
}

/** Undoes `flip` on an `[H, W]` map (Multiply needs no undoing). */
export function unflipMap(m: Float32Array, H: number, W: number): Float32Array {
  const out = new Float32Array(m.length);
  for (let y = 0; y < H; y++) for (let i = 0; i < W; i++) out[y * W + i] = m[y * W + W - 1 - i]!;
  return out;
}
