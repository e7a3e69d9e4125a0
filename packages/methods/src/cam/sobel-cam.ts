import {
  defineMethod,
  minMaxScale,
  modelOutputShape,
  outputSize,
  resolveTarget,
  type InputSpec,
  type Tensor,
} from '@gradscope/core';
import { grayU8, sobelU8 } from './sobel.js';

/** The model input back to 8-bit RGB planes: `uint8(255·clip(x·std + mean, 0, 1))` (truncating, as NumPy). */
function pixelsU8(x: Tensor, spec: InputSpec): Uint8Array[] {
  const { height: H, width: W, channels: C, layout, normalization: n } = spec;
  const planes = [0, 1, 2].map(() => new Uint8Array(H * W));
  for (let c = 0; c < 3; c++) {
    const src = Math.min(c, C - 1);
    const m = n?.mean[src] ?? 0,
      s = n?.std[src] ?? 1;
    for (let i = 0; i < H * W; i++) {
      const v = x.data[layout === 'NCHW' ? src * H * W + i : i * C + src]! * s + m;
      planes[c]![i] = Math.trunc(255 * Math.min(Math.max(v, 0), 1));
    }
  }
  return planes;
}

/**
 * Sobel-CAM: a model-independent baseline for metrics and sanity checks — the edge magnitude of
 * the input image. An explanation that scores like it is explaining the image, not the model.
 *
 * Formula: pixels = `uint8(255·clip(x·std + mean, 0, 1))` (the model's normalisation undone, when
 * known), gray = OpenCV's RGB2GRAY, `raw = addWeighted(|Sobel_x|, 0.5, |Sobel_y|, 0.5)` (8-bit, as
 * pytorch-grad-cam's `sobel_cam`), `map = min-max(raw)`.
 *
 * Deviations: pytorch-grad-cam's `sobel_cam` takes the RGB image and returns 8-bit values; gradscope
 * rebuilds the image from the normalised input and scales the map to [0, 1]. One-channel inputs are
 * their own gray image.
 *
 * Output: `map` `[H, W]` in [0, 1]; `raw` `[H, W]` in 0–255.
 *
 * Reference: pytorch-grad-cam, https://github.com/jacobgil/pytorch-grad-cam (sobel_cam.py)
 */
export const sobelCam = defineMethod<Record<string, never>>({
  id: 'sobel-cam',
  title: 'Sobel-CAM',
  description: 'Baseline: edge magnitude of the input image (independent of the model).',
  space: 'layer',
  usesLayers: false,
  requires: [],
  options: {},
  async explain({ model, input, target }) {
    const { height: H, width: W } = model.input;
    const [r, g, b] = pixelsU8(input, model.input);
    const raw = sobelU8(model.input.channels === 1 ? r! : grayU8(r!, g!, b!), H, W);
    const logits = await model.forward(input);
    return {
      map: { data: minMaxScale(raw), shape: [H, W] },
      raw: { data: raw, shape: [H, W] },
      target: resolveTarget(target, logits.data.subarray(0, outputSize(model)), modelOutputShape(model)),
    };
  },
});
