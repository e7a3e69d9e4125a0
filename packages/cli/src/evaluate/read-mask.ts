import { readFile } from 'node:fs/promises';
import { decodeNpy, type Tensor } from '@gradscope/core';
import { CliError } from '../cli-error.js';
import { decodeImage, sniff } from '../read-input.js';

/** Nearest-neighbour resize of a 0/1 `[h, w]` grid to `[H, W]`. */
function nearest(src: Float32Array, h: number, w: number, H: number, W: number): Float32Array {
  if (h === H && w === W) return src;
  const out = new Float32Array(H * W);
  for (let y = 0; y < H; y++) {
    const sy = Math.min(h - 1, Math.floor(((y + 0.5) * h) / H));
    for (let x = 0; x < W; x++) out[y * W + x] = src[sy * w + Math.min(w - 1, Math.floor(((x + 0.5) * w) / W))]!;
  }
  return out;
}

/**
 * A ground-truth mask as a `[H, W]` tensor of 0/1 at the model's input size. PNG: a pixel is inside
 * when its first channel is ≥ 128 (white on black, any colour type). `.npy`: `[h, w]` (or with
 * leading axes of size 1), inside where the value is ≥ 0.5. Resized by nearest neighbour.
 */
export async function readMask(path: string, label: string, H: number, W: number): Promise<Tensor> {
  const buf = await readFile(path).catch(() => {
    throw new CliError(`mask not found: ${label}`);
  });
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  const kind = sniff(bytes);
  let grid: Float32Array, h: number, w: number;
  try {
    if (kind === 'npy') {
      const t = decodeNpy(bytes);
      const dims = t.shape.filter((d, i) => d !== 1 || i >= t.shape.length - 2);
      if (dims.length !== 2) throw new Error(`expected a [h, w] array, got [${t.shape.join(', ')}]`);
      [h, w] = dims as [number, number];
      grid = t.data.map((v) => (v >= 0.5 ? 1 : 0));
    } else if (kind === 'png' || kind === 'jpeg') {
      const img = decodeImage(bytes, kind);
      [h, w] = [img.height, img.width];
      grid = new Float32Array(h * w);
      for (let i = 0; i < h * w; i++) grid[i] = img.data[i * (img.channels ?? 4)]! >= 128 ? 1 : 0;
    } else throw new Error('not a PNG or .npy file');
  } catch (e) {
    throw new CliError(`mask ${label}: ${(e as Error).message.split('\n', 1)[0]}`);
  }
  return { data: nearest(grid, h, w, H, W), shape: [H, W] };
}
