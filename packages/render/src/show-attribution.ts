import { RenderError } from './render-error.js';
import type { FloatMap, Layout, RgbaImage } from './types.js';

export interface ShowAttributionOptions {
  /** Layout of the attribution: `NCHW` (`[N, C, H, W]` or `[C, H, W]`) or `NHWC`. */
  readonly layout: Layout;
  /** Batch item to show; default 0. */
  readonly index?: number;
  /** Percentile of |v − mean| that maps to the ends of the grey range; default 99. */
  readonly percentile?: number;
}

/** The picture, and whether the attribution was identically zero (the picture is then flat grey). */
export interface ShownAttribution {
  readonly image: RgbaImage;
  readonly allZero: boolean;
}

/**
 * Shows an input-space attribution for viewing whatever its scale: values are centred on their mean
 * (over all C·H·W values), divided by the `percentile`-th percentile s of their absolute deviations
 * (or the largest one when that percentile is 0), and `0.5 + 0.5·clip((v − mean)/s, −1, 1)` becomes
 * 8-bit grey levels per channel (C = 1: grey; C = 3: RGB). The result does not depend on the
 * attribution's scale, so an attribution with std 1e-7 shows its structure (pytorch-grad-cam's
 * `deprocess_image`, {@link deprocess}, adds 1e-5 to the std and shows it flat grey). The values
 * themselves are not changed; save them for analysis.
 *
 * @example const { image, allZero } = showAttribution(explanation.raw, { layout: 'NCHW' })
 */
export function showAttribution(attribution: FloatMap, options: ShowAttributionOptions): ShownAttribution {
  const { layout, index = 0, percentile = 99 } = options;
  if (layout !== 'NCHW' && layout !== 'NHWC')
    throw new RenderError('bad-option', `layout must be 'NCHW' or 'NHWC', got '${String(layout)}'`);
  if (!(percentile > 0 && percentile <= 100))
    throw new RenderError('bad-option', `percentile must be in (0, 100], got ${percentile}`);
  const s4 = attribution.shape.length === 3 ? [1, ...attribution.shape] : [...attribution.shape];
  if (s4.length !== 4)
    throw new RenderError(
      'bad-input-shape',
      `attribution has shape [${attribution.shape.join(', ')}], expected a ${layout} image tensor (rank 3 or 4)`,
    );
  const [N, C, H, W] = layout === 'NCHW' ? (s4 as [number, number, number, number]) : [s4[0]!, s4[3]!, s4[1]!, s4[2]!];
  if (C !== 1 && C !== 3)
    throw new RenderError('bad-input-shape', `attribution has ${C} channels in ${layout} layout, expected 1 or 3`);
  if (!(Number.isInteger(index) && index >= 0 && index < N))
    throw new RenderError('bad-option', `index ${index} is outside the batch of ${N}`);
  const n = C * H * W;
  if (attribution.data.length !== N * n)
    throw new RenderError(
      'bad-input-shape',
      `attribution has ${attribution.data.length} values for shape [${attribution.shape.join(', ')}]`,
    );
  const v = attribution.data.subarray(index * n, (index + 1) * n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += v[i]!;
  const mean = sum / n;
  const dev = Float64Array.from(v, (x) => Math.abs(x - mean)).sort();
  const allZero = v.every((x) => x === 0);
  let s = dev[Math.min(n - 1, Math.ceil((percentile / 100) * n) - 1)]!;
  if (!(s > 0)) s = dev[n - 1]!;
  const level = (x: number) =>
    s > 0 ? Math.round(255 * (0.5 + 0.5 * Math.max(-1, Math.min(1, (x - mean) / s)))) : 128;
  const data = new Uint8ClampedArray(H * W * 4);
  for (let p = 0; p < H * W; p++) {
    for (let k = 0; k < 3; k++) {
      const ch = C === 1 ? 0 : k;
      data[p * 4 + k] = level(v[layout === 'NCHW' ? ch * H * W + p : p * C + ch]!);
    }
    data[p * 4 + 3] = 255;
  }
  return { image: { data, width: W, height: H, channels: 4 }, allZero };
}
