import type { InputSpec, Layout, Normalization } from '../model.js';
import type { Tensor } from '../tensor.js';
import { resizeBilinear } from './resize.js';

/** Decoded 8-bit image pixels, RGBA or RGB, row-major. */
export interface ImagePixels {
  readonly data: Uint8Array | Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
  /** 3 (RGB) or 4 (RGBA); default 4. */
  readonly channels?: 3 | 4;
}

export const IMAGENET: Normalization = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

/**
 * 8-bit luminance of one RGB pixel as PIL's `convert('L')` computes it (ITU-R BT.601 weights
 * L = R·299/1000 + G·587/1000 + B·114/1000, in PIL's 16-bit fixed point, rounded to an integer).
 */
export function luminance(r: number, g: number, b: number): number {
  return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
}

/**
 * Image → network input `[1, …]`: bilinear resize (half-pixel centres) to the model's size, pixels
 * scaled to [0, 1], `(p − mean) / std` per channel, in the model's layout. A one-channel model gets
 * the luminance ({@link luminance}, as PIL's `convert('L')`), not the red channel; a model with
 * `channelOrder: 'bgr'` gets blue, green, red (mean and std are in the model's channel order).
 */
export function imageToTensor(
  img: ImagePixels,
  spec: Pick<InputSpec, 'height' | 'width' | 'layout'> & { channels?: number; channelOrder?: 'rgb' | 'bgr' },
  normalization: Normalization = { mean: [0, 0, 0], std: [1, 1, 1] },
): Tensor {
  const src = img.channels ?? 4;
  const { height: H, width: W } = spec;
  const C = spec.channels ?? 3;
  const bgr = spec.channelOrder === 'bgr';
  const d = img.data;
  const planes: Float32Array[] = [];
  for (let c = 0; c < C; c++) {
    const plane = new Float32Array(img.width * img.height);
    const k = bgr ? 2 - Math.min(c, 2) : Math.min(c, 2);
    if (C === 1)
      for (let i = 0; i < plane.length; i++) plane[i] = luminance(d[i * src]!, d[i * src + 1]!, d[i * src + 2]!) / 255;
    else for (let i = 0; i < plane.length; i++) plane[i] = d[i * src + k]! / 255;
    const r = img.width === W && img.height === H ? plane : resizeBilinear(plane, img.height, img.width, H, W);
    const m = normalization.mean[c] ?? 0,
      s = normalization.std[c] ?? 1;
    for (let i = 0; i < r.length; i++) r[i] = (r[i]! - m) / s;
    planes.push(r);
  }
  return planesToTensor(planes, H, W, spec.layout);
}

function planesToTensor(planes: Float32Array[], H: number, W: number, layout: Layout): Tensor {
  const C = planes.length;
  const out = new Float32Array(C * H * W);
  if (layout === 'NCHW') planes.forEach((p, c) => out.set(p, c * H * W));
  else for (let i = 0; i < H * W; i++) for (let c = 0; c < C; c++) out[i * C + c] = planes[c]![i]!;
  return { data: out, shape: layout === 'NCHW' ? [1, C, H, W] : [1, H, W, C] };
}

/** Un-normalises one input tensor back to 8-bit RGB pixels (for overlays); `bgr` inputs are swapped back. */
export function tensorToImage(
  t: Tensor,
  layout: Layout,
  normalization: Normalization = { mean: [0, 0, 0], std: [1, 1, 1] },
  channelOrder: 'rgb' | 'bgr' = 'rgb',
): ImagePixels {
  const [, a, b, c] = t.shape as [number, number, number, number];
  const [H, W, C] = layout === 'NCHW' ? [b, c, a] : [a, b, c];
  const data = new Uint8Array(H * W * 4);
  for (let i = 0; i < H * W; i++) {
    for (let k = 0; k < 3; k++) {
      const ch = channelOrder === 'bgr' && C >= 3 ? 2 - k : Math.min(k, C - 1);
      const v = layout === 'NCHW' ? t.data[ch * H * W + i]! : t.data[i * C + ch]!;
      const p = v * (normalization.std[ch] ?? 1) + (normalization.mean[ch] ?? 0);
      data[i * 4 + k] = Math.round(Math.min(1, Math.max(0, p)) * 255);
    }
    data[i * 4 + 3] = 255;
  }
  return { data, width: W, height: H, channels: 4 };
}

/**
 * An input-space attribution `[1, …]` as an `[H, W]` map: the largest absolute value over channels
 * at each pixel, min-max scaled to [0, 1].
 */
export function attributionMagnitude(t: Tensor, layout: Layout): Tensor {
  const [, a, b, c] = t.shape as [number, number, number, number];
  const [H, W, C] = layout === 'NCHW' ? [b, c, a] : [a, b, c];
  const n = H * W;
  const d = t.data;
  // channel and pixel strides of element (pixel i, channel k)
  const [cs, ps] = layout === 'NCHW' ? [n, 1] : [1, C];
  const out = new Float32Array(n);
  let hi = 0;
  // max(x, y) as (x + y + |x − y|) / 2: branch-free (a compare per element mispredicts on noisy
  // gradients and cost 3× more), and exact for finite float32 values once stored back as float32.
  for (let i = 0; i < n; i++) {
    let m = Math.abs(d[i * ps]!);
    for (let k = 1; k < C; k++) {
      const v = Math.abs(d[i * ps + k * cs]!);
      m = (m + v + Math.abs(m - v)) * 0.5;
    }
    out[i] = m;
    hi = (hi + m + Math.abs(hi - m)) * 0.5;
  }
  if (hi > 0) for (let i = 0; i < n; i++) out[i] = out[i]! / hi;
  return { data: out, shape: [H, W] };
}
