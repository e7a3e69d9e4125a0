import { mixSeeds, mulberry32, type Rng } from './prng.js';

/** The four shapes of the biased-shapes set, in label order. */
export const BIASED_SHAPE_CLASSES = ['disc', 'square', 'triangle', 'plus'] as const;
/** The four contexts ("water"), in label order: context j is the home of class j. */
export const BIASED_CONTEXTS = ['blue', 'green', 'sand', 'purple'] as const;

const BASE: readonly (readonly [number, number, number])[] = [
  [0.2, 0.4, 0.8],
  [0.3, 0.65, 0.3],
  [0.8, 0.6, 0.3],
  [0.65, 0.35, 0.65],
];
const ANGLES = [0, Math.PI / 4, Math.PI / 2, (3 * Math.PI) / 4];

/** One biased-shapes image: RGB in [0, 1] (NHWC, `[size, size, 3]`), its object mask and its labels. */
export interface BiasedSample {
  readonly size: number;
  /** Row-major `[size, size, 3]`, values in [0, 1]. */
  readonly image: Float32Array;
  /** 1 inside the object, else 0, `[size, size]`; all zeros when there is no object. */
  readonly mask: Uint8Array;
  /** Shape class (0–3), or -1 for a context-only image. */
  readonly label: number;
  /** Context (0–3), or -1 for an object on neutral grey. */
  readonly context: number;
}

export type BiasedSplit = 'train' | 'aligned' | 'conflicting' | 'test' | 'context-only' | 'object-on-grey';

export interface BiasedShapesOptions {
  /** Image side in pixels (default 32). */
  readonly size?: number;
  /** Probability that a training image shows its class's home context (default 0.95). */
  readonly rho?: number;
  readonly seed: number;
}

/**
 * The background-biased shapes set (GAIN.md §3.1): a black or white disc/square/triangle/plus on a
 * striped, noisy context whose colour and stripe angle are the class's "home" with probability ρ
 * in training. `test` enumerates all 16 (shape, context) pairs equally (25% aligned, 75%
 * conflicting); `aligned`/`conflicting` are its two halves; `context-only` has no object (label
 * -1) and `object-on-grey` has no context (context -1). Deterministic in (seed, split, index).
 */
export function biasedShapes(options: BiasedShapesOptions): (split: BiasedSplit, count: number) => BiasedSample[] {
  const size = options.size ?? 32;
  const rho = options.rho ?? 0.95;
  const salt: Record<BiasedSplit, number> = {
    train: 1,
    test: 2,
    aligned: 3,
    conflicting: 4,
    'context-only': 5,
    'object-on-grey': 6,
  };
  return (split, count) =>
    Array.from({ length: count }, (_, i) => {
      const rng = mulberry32(mixSeeds(options.seed, salt[split], i));
      let label = i % 4;
      let context: number;
      if (split === 'train') {
        label = rng.int(4);
        context = rng.next() < rho ? label : (label + 1 + rng.int(3)) % 4;
      } else if (split === 'test') context = Math.floor(i / 4) % 4;
      else if (split === 'aligned') context = label;
      else if (split === 'conflicting') context = (label + 1 + (Math.floor(i / 4) % 3)) % 4;
      else if (split === 'context-only') [label, context] = [-1, i % 4];
      else context = -1;
      return paint(rng, size, label, context);
    });
}

function paint(rng: Rng, size: number, label: number, context: number): BiasedSample {
  const image = new Float32Array(size * size * 3);
  const mask = new Uint8Array(size * size);
  if (context < 0) image.fill(0.5);
  else {
    const base = BASE[context]!.map((c) => c + rng.uniform(-0.05, 0.05));
    const [ct, st] = [Math.cos(ANGLES[context]!), Math.sin(ANGLES[context]!)];
    const phase = rng.uniform(0, 2 * Math.PI);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        const s = 0.12 * Math.sin((2 * Math.PI * (x * ct + y * st)) / (size / 6) + phase);
        for (let c = 0; c < 3; c++) image[(y * size + x) * 3 + c] = base[c]! + s;
      }
  }
  if (label >= 0) {
    const r = rng.uniform(0.2 * size, 0.3 * size);
    const cx = rng.uniform(r + 1, size - r - 1);
    const cy = rng.uniform(r + 1, size - r - 1);
    const colour = rng.next() < 0.5 ? 0.02 : 0.98;
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        if (!inside(label, x + 0.5 - cx, y + 0.5 - cy, r)) continue;
        mask[y * size + x] = 1;
        for (let c = 0; c < 3; c++) image[(y * size + x) * 3 + c] = colour;
      }
  }
  if (context >= 0) for (let i = 0; i < image.length; i++) image[i] = clip(image[i]! + 0.05 * gaussian(rng));
  return { size, image, mask, label, context };
}

function inside(label: number, dx: number, dy: number, r: number): boolean {
  switch (label) {
    case 0:
      return dx * dx + dy * dy <= r * r;
    case 1:
      return Math.abs(dx) <= 0.85 * r && Math.abs(dy) <= 0.85 * r;
    case 2:
      return dy >= -r && dy <= r && Math.abs(dx) <= (dy + r) / 2;
    default:
      return (Math.abs(dx) <= r && Math.abs(dy) <= r / 3) || (Math.abs(dy) <= r && Math.abs(dx) <= r / 3);
  }
}

const clip = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/** Box–Muller: one standard normal from two uniforms. */
function gaussian(rng: Rng): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}
