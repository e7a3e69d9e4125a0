import { imageToTensor, tensorToImage, type InputSpec, type Normalization, type Tensor } from '@gradscope/core';
import type { Pixels, Preprocessing, TensorSummary } from '../protocol.js';

/** The model's own preprocessing: its input size and its normalisation (sidecar first), RGB in [0, 1]. */
export function defaultPreprocessing(input: InputSpec, normalization: Normalization | undefined): Preprocessing {
  const n = normalization ?? { mean: [0, 0, 0], std: [1, 1, 1] };
  return { height: input.height, width: input.width, mean: [...n.mean], std: [...n.std], range: 1, order: 'rgb' };
}

/** RGBA pixels with red and blue swapped (the same function converts back). */
function swapRedBlue(p: { data: ArrayLike<number>; width: number; height: number }): Pixels {
  const data = new Uint8ClampedArray(p.data);
  for (let i = 0; i < data.length; i += 4) [data[i], data[i + 2]] = [data[i + 2]!, data[i]!];
  return { data, width: p.width, height: p.height };
}

function summary(x: Tensor, layout: InputSpec['layout']): TensorSummary {
  const [, a, , c] = x.shape as [number, number, number, number];
  const C = layout === 'NCHW' ? a : c;
  const n = x.data.length / C;
  const min = Array.from({ length: C }, () => Infinity);
  const max = Array.from({ length: C }, () => -Infinity);
  for (let i = 0; i < x.data.length; i++) {
    const k = layout === 'NCHW' ? Math.floor(i / n) : i % C;
    const v = x.data[i]!;
    if (v < min[k]!) min[k] = v;
    if (v > max[k]!) max[k] = v;
  }
  return { shape: [...x.shape], min, max };
}

/**
 * Image → the tensor the network sees, by `pre`: channel order, resize, pixel range and (p − mean)/std.
 * A 0–255 range is the same as [0, 1] pixels with mean/255 and std/255, which is how it is applied.
 * Returns the tensor, that [0, 1] normalisation, the image in true colours (for overlays), the tensor's
 * channels shown as R, G, B (`seen`) and its per-channel range.
 */
export function preprocess(pixels: Pixels, pre: Preprocessing, spec: Pick<InputSpec, 'layout' | 'channels'>) {
  const normalization: Normalization = {
    mean: pre.mean.map((m) => m / pre.range),
    std: pre.std.map((s) => s / pre.range),
  };
  const src = pre.order === 'bgr' ? swapRedBlue(pixels) : pixels;
  const x = imageToTensor(
    { data: src.data, width: src.width, height: src.height, channels: 4 },
    { height: pre.height, width: pre.width, layout: spec.layout, channels: spec.channels },
    normalization,
  );
  const img = tensorToImage(x, spec.layout, normalization);
  const seen: Pixels = { data: new Uint8ClampedArray(img.data), width: img.width, height: img.height };
  const input = pre.order === 'bgr' ? swapRedBlue(seen) : seen;
  return { x, normalization, input, seen, tensor: summary(x, spec.layout) };
}
