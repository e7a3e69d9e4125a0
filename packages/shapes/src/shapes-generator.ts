import { backgroundWeights, type BackgroundStyle } from './backgrounds.js';
import { resolveShapesOptions, type ResolvedShapesOptions, type ShapesOptions } from './options.js';
import { mixSeeds, mulberry32, type Rng } from './prng.js';
import { INSIDE, type ShapeName } from './shape-classes.js';

export type Rgb = readonly [number, number, number];

/** One generated image with its label and the object's pixel mask. */
export interface ShapeSample {
  readonly index: number;
  readonly width: number;
  readonly height: number;
  /** RGBA, row-major, opaque. */
  readonly image: Uint8ClampedArray;
  /** Class index into the generator's `classes`. */
  readonly label: number;
  readonly className: ShapeName;
  /** 1 where the pixel centre lies inside the object, else 0; row-major `[height, width]`. */
  readonly mask: Uint8Array;
  readonly background: BackgroundStyle;
  /** The two colours every background pixel mixes (before noise). */
  readonly backgroundColors: readonly [Rgb, Rgb];
  /** The object's colour (before noise). */
  readonly objectColor: Rgb;
  /** Centre (pixels), radius of the enclosing circle (pixels) and rotation (radians). */
  readonly pose: { readonly x: number; readonly y: number; readonly radius: number; readonly rotation: number };
}

export interface ShapesGenerator {
  readonly options: ResolvedShapesOptions;
  readonly classes: readonly ShapeName[];
  /** Sample `index` (any non-negative integer); random access, deterministic in (seed, index). */
  sample(index: number): ShapeSample;
  /** `count` consecutive samples from `start`. */
  samples(count: number, start?: number): ShapeSample[];
  /** The background texture class `label` is biased towards. */
  homeBackground(label: number): BackgroundStyle;
}

/** Distance from point `p` to the segment `[a, b]` in RGB space. */
export function distanceToSegment(p: Rgb, a: Rgb, b: Rgb): number {
  const ab = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  const ap = [p[0] - a[0], p[1] - a[1], p[2] - a[2]];
  const l2 = ab[0]! ** 2 + ab[1]! ** 2 + ab[2]! ** 2;
  const t = l2 === 0 ? 0 : Math.min(1, Math.max(0, (ap[0]! * ab[0]! + ap[1]! * ab[1]! + ap[2]! * ab[2]!) / l2));
  return Math.hypot(ap[0]! - t * ab[0]!, ap[1]! - t * ab[1]!, ap[2]! - t * ab[2]!);
}

const randomColor = (rng: Rng): Rgb => [rng.int(256), rng.int(256), rng.int(256)];

/** A colour at most `max` (RGB distance) from `c`: a random direction, a random length, clamped to the cube. */
function nearbyColor(rng: Rng, c: Rgb, max: number): Rgb {
  const d = [rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1)];
  const n = Math.hypot(d[0]!, d[1]!, d[2]!) || 1;
  const len = rng.uniform(0.3, 1) * max;
  const clamp = (v: number) => Math.min(255, Math.max(0, Math.round(v)));
  return [clamp(c[0] + (d[0]! / n) * len), clamp(c[1] + (d[1]! / n) * len), clamp(c[2] + (d[2]! / n) * len)];
}

/** A random colour at least `min` away from the segment `[a, b]` (best of 200 tries and the 8 cube corners). */
function contrastingColor(rng: Rng, a: Rgb, b: Rgb, min: number): Rgb {
  let best: Rgb = [0, 0, 0],
    bestD = -1;
  for (let k = 0; k < 200; k++) {
    const c = randomColor(rng);
    const d = distanceToSegment(c, a, b);
    if (d >= min) return c;
    if (d > bestD) [best, bestD] = [c, d];
  }
  for (let k = 0; k < 8; k++) {
    const c: Rgb = [k & 1 ? 255 : 0, k & 2 ? 255 : 0, k & 4 ? 255 : 0];
    const d = distanceToSegment(c, a, b);
    if (d > bestD) [best, bestD] = [c, d];
  }
  return best;
}

/**
 * A seeded generator of "shapes" images: one object of a random class (class-balanced in every
 * block of `classes.length` consecutive indices), random position, size, rotation and colour, on a
 * random two-colour texture (colours at most `textureContrast` apart), plus uniform pixel noise.
 * The object colour is at least `minContrast` away (RGB distance) from every background colour, and
 * the mask is exactly the set of pixels drawn in the object colour. Pure: no I/O, no globals.
 *
 * ```ts
 * const gen = createShapesGenerator({ seed: 1, size: 64 });
 * const { image, label, className, mask } = gen.sample(0);
 * ```
 */
export function createShapesGenerator(options: ShapesOptions = {}): ShapesGenerator {
  const o = resolveShapesOptions(options);
  const K = o.classes.length;
  const homeBackground = (label: number): BackgroundStyle => o.backgrounds[label % o.backgrounds.length]!;

  const labelOf = (index: number): number => {
    const block = Math.floor(index / K);
    const rng = mulberry32(mixSeeds(o.seed, block, 0x5eed));
    const perm = Array.from({ length: K }, (_, i) => i);
    for (let i = K - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    return perm[index % K]!;
  };

  const sample = (index: number): ShapeSample => {
    if (!Number.isInteger(index) || index < 0)
      throw new RangeError(`shapes sample index must be a non-negative integer, got ${index}`);
    const size = o.size;
    const label = labelOf(index);
    const className = o.classes[label]!;
    const rng = mulberry32(mixSeeds(o.seed, index));
    const background = rng.next() < o.backgroundBias[label]! ? homeBackground(label) : rng.pick(o.backgrounds);
    const c1 = randomColor(rng),
      c2 = nearbyColor(rng, c1, o.textureContrast);
    const objectColor = contrastingColor(rng, c1, c2, o.minContrast);
    const weights = backgroundWeights(background, rng, size, size);
    const radius = rng.uniform(o.scale[0], o.scale[1]) * size;
    const cx = rng.uniform(radius, size - radius),
      cy = rng.uniform(radius, size - radius);
    const rotation = rng.uniform(0, 2 * Math.PI);
    const cos = Math.cos(rotation),
      sin = Math.sin(rotation);
    const inside = INSIDE[className];
    const image = new Uint8ClampedArray(size * size * 4);
    const mask = new Uint8Array(size * size);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const i = y * size + x;
        const dx = x + 0.5 - cx,
          dy = y + 0.5 - cy;
        const u = (dx * cos + dy * sin) / radius,
          v = (-dx * sin + dy * cos) / radius;
        const isObj = inside(u, v);
        mask[i] = isObj ? 1 : 0;
        const t = weights[i]!;
        for (let k = 0; k < 3; k++) {
          const base = isObj ? objectColor[k]! : c1[k]! + t * (c2[k]! - c1[k]!);
          image[i * 4 + k] = Math.round(base + (o.noise ? rng.uniform(-o.noise, o.noise) : 0));
        }
        image[i * 4 + 3] = 255;
      }
    }
    return {
      index,
      width: size,
      height: size,
      image,
      label,
      className,
      mask,
      background,
      backgroundColors: [c1, c2],
      objectColor,
      pose: { x: cx, y: cy, radius, rotation },
    };
  };

  return {
    options: o,
    classes: o.classes,
    sample,
    samples: (count, start = 0) => Array.from({ length: count }, (_, k) => sample(start + k)),
    homeBackground,
  };
}
