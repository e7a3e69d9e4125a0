import type { Layout } from '../model.js';
import type { Tensor } from '../tensor.js';

/** NHWC → NCHW (rank-4). */
export function nhwcToNchw(t: Tensor): Tensor {
  const [n, h, w, c] = t.shape as [number, number, number, number];
  const out = new Float32Array(t.data.length);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let k = 0; k < c; k++) out[((b * c + k) * h + y) * w + x] = t.data[((b * h + y) * w + x) * c + k]!;
  return { data: out, shape: [n, c, h, w] };
}

/** NCHW → NHWC (rank-4). */
export function nchwToNhwc(t: Tensor): Tensor {
  const [n, c, h, w] = t.shape as [number, number, number, number];
  const out = new Float32Array(t.data.length);
  for (let b = 0; b < n; b++)
    for (let k = 0; k < c; k++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) out[((b * h + y) * w + x) * c + k] = t.data[((b * c + k) * h + y) * w + x]!;
  return { data: out, shape: [n, h, w, c] };
}

/** A rank-4 tensor in `layout` as channels-first; other ranks are returned as they are. */
export function toChannelsFirst(t: Tensor, layout: Layout): Tensor {
  return layout === 'NHWC' && t.shape.length === 4 ? nhwcToNchw(t) : t;
}

/** A channels-first rank-4 tensor converted to `layout`. */
export function fromChannelsFirst(t: Tensor, layout: Layout): Tensor {
  return layout === 'NHWC' && t.shape.length === 4 ? nchwToNhwc(t) : t;
}
