import { numpySumF32 } from './numpy-sum.js';
import { RenderError } from './render-error.js';
import type { FloatMap, Layout, RgbaImage } from './types.js';

export interface DeprocessOptions {
  /** Layout of `attribution`: 'NCHW' (`[N, C, H, W]` or `[C, H, W]`) or 'NHWC' (`[N, H, W, C]` or `[H, W, C]`). */
  readonly layout: Layout;
  /** Batch item to show; default 0. */
  readonly index?: number;
}

/**
 * Shows an input-space attribution (saliency, guided backprop, …) as an image, as pytorch-grad-cam's
 * `deprocess_image`: `uint8(255 · clip(0.5 + 0.1 · (v − mean) / (std + 1e-5), 0, 1))`, with mean and
 * (population) std over all C·H·W values of the image, not per channel. Evaluated in float32 with
 * numpy's summation order over the data's memory order and numpy's truncating conversion, so it
 * equals Python's result byte for byte (Python also reduces in memory order, so an NCHW tensor
 * corresponds to pytorch-grad-cam's `grad[0].transpose(1, 2, 0)`).
 * C = 3 gives an RGB image, C = 1 a grey one; the result is opaque RGBA `W`×`H`.
 *
 * @example deprocess(explanation.raw, { layout: 'NCHW' })
 */
export function deprocess(attribution: FloatMap, options: DeprocessOptions): RgbaImage {
  const f = Math.fround;
  const { layout, index = 0 } = options;
  if (layout !== 'NCHW' && layout !== 'NHWC')
    throw new RenderError('bad-option', `layout must be 'NCHW' or 'NHWC', got '${String(layout)}'`);
  const s = attribution.shape.length === 3 ? [1, ...attribution.shape] : [...attribution.shape];
  if (s.length !== 4) {
    throw new RenderError(
      'bad-input-shape',
      `attribution has shape [${attribution.shape.join(', ')}], expected a ${layout} image tensor (rank 3 or 4)`,
    );
  }
  const [N, C, H, W] = layout === 'NCHW' ? (s as [number, number, number, number]) : [s[0]!, s[3]!, s[1]!, s[2]!];
  if (C !== 1 && C !== 3)
    throw new RenderError('bad-input-shape', `attribution has ${C} channels in ${layout} layout, expected 1 or 3`);
  if (!(Number.isInteger(index) && index >= 0 && index < N))
    throw new RenderError('bad-option', `index ${index} is outside the batch of ${N}`);
  const n = C * H * W;
  if (attribution.data.length !== N * n) {
    throw new RenderError(
      'bad-input-shape',
      `attribution has ${attribution.data.length} values for shape [${attribution.shape.join(', ')}]`,
    );
  }
  const v = attribution.data.subarray(index * n, (index + 1) * n);

  // img = img - mean(img)
  const mean = f(numpySumF32(v) / n);
  const centred = new Float32Array(n);
  for (let i = 0; i < n; i++) centred[i] = v[i]! - mean;
  // np.std(img): mean again, squared deviations, mean, sqrt, all float32
  const mean2 = f(numpySumF32(centred) / n);
  const sq = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const d = f(centred[i]! - mean2);
    sq[i] = d * d;
  }
  const std = f(Math.sqrt(f(numpySumF32(sq) / n)));
  const den = f(std + 1e-5); // float64 scalar, cast to float32 for the array division
  const tenth = f(0.1);
  const level = (x: number): number => {
    let y = f(f(f(x / den) * tenth) + 0.5);
    y = y < 0 ? 0 : y > 1 ? 1 : y;
    return Math.trunc(f(y * 255));
  };

  const data = new Uint8ClampedArray(H * W * 4);
  for (let p = 0; p < H * W; p++) {
    for (let k = 0; k < 3; k++) {
      const ch = C === 1 ? 0 : k;
      data[p * 4 + k] = level(centred[layout === 'NCHW' ? ch * H * W + p : p * C + ch]!);
    }
    data[p * 4 + 3] = 255;
  }
  return { data, width: W, height: H, channels: 4 };
}
