import type { Rng } from './prng.js';

/** Background textures. Each mixes two random colours, so every pixel lies on their segment. */
export const BACKGROUND_STYLES = ['noise', 'stripes', 'checkerboard', 'gradient', 'blotches'] as const;
export type BackgroundStyle = (typeof BACKGROUND_STYLES)[number];

/**
 * The mixing weight `t ∈ [0, 1]` of the second colour at every pixel (row-major `[h, w]`):
 * - noise: blocky uniform noise, cells of 1–3 px;
 * - stripes: a square wave of period 5–16 px at a random angle;
 * - checkerboard: cells of 4–12 px, rotated at random;
 * - gradient: linear ramp across the image at a random angle;
 * - blotches: 4–8 random Gaussian blobs, soft-thresholded.
 */
export function backgroundWeights(style: BackgroundStyle, rng: Rng, width: number, height: number): Float32Array {
  const t = new Float32Array(width * height);
  const angle = rng.uniform(0, Math.PI);
  const c = Math.cos(angle),
    s = Math.sin(angle);
  switch (style) {
    case 'noise': {
      const cell = 1 + rng.int(3);
      const cw = Math.ceil(width / cell),
        ch = Math.ceil(height / cell);
      const cells = new Float32Array(cw * ch);
      for (let i = 0; i < cells.length; i++) cells[i] = rng.next();
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) t[y * width + x] = cells[Math.floor(y / cell) * cw + Math.floor(x / cell)]!;
      break;
    }
    case 'stripes': {
      const period = rng.uniform(5, 16),
        phase = rng.uniform(0, period);
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) {
          const p = (x * c + y * s + phase) / period;
          t[y * width + x] = p - Math.floor(p) < 0.5 ? 0 : 1;
        }
      break;
    }
    case 'checkerboard': {
      const cell = rng.uniform(4, 12),
        ox = rng.uniform(0, cell),
        oy = rng.uniform(0, cell);
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) {
          const a = Math.floor((x * c + y * s + ox) / cell),
            b = Math.floor((-x * s + y * c + oy) / cell);
          t[y * width + x] = (a + b) & 1;
        }
      break;
    }
    case 'gradient': {
      const ext = Math.abs(c) * width + Math.abs(s) * height;
      const lo = Math.min(0, c * width) + Math.min(0, s * height);
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) t[y * width + x] = (x * c + y * s - lo) / ext;
      break;
    }
    case 'blotches': {
      const n = 4 + rng.int(5);
      const blobs = Array.from({ length: n }, () => ({
        x: rng.uniform(0, width),
        y: rng.uniform(0, height),
        r: rng.uniform(0.06, 0.22) * Math.min(width, height),
      }));
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) {
          let v = 0;
          for (const b of blobs) v += Math.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / (2 * b.r * b.r));
          t[y * width + x] = Math.min(1, Math.max(0, (v - 0.35) * 4));
        }
      break;
    }
  }
  return t;
}
