import { BACKGROUND_STYLES, type BackgroundStyle } from './backgrounds.js';
import { SHAPE_CLASSES, type ShapeName } from './shape-classes.js';

/** The classes of the built-in demo model, in label order. */
export const DEFAULT_CLASSES: readonly ShapeName[] = ['circle', 'square', 'triangle', 'star', 'cross'];

export interface ShapesOptions {
  /** Image side in pixels (square images); default 64. */
  readonly size?: number;
  /** Any unsigned 32-bit integer; default 0. Same seed and index → same sample. */
  readonly seed?: number;
  /** Classes to draw, in label order; default `DEFAULT_CLASSES`. */
  readonly classes?: readonly ShapeName[];
  /** Background textures to draw from; default all `BACKGROUND_STYLES`. */
  readonly backgrounds?: readonly BackgroundStyle[];
  /**
   * Class ↔ background correlation: with probability `p` a class-`k` image gets class `k`'s own
   * texture, `backgrounds[k mod backgrounds.length]`; otherwise a uniformly random one. One `p` for
   * every class or one per class; default 0 (independent).
   */
  readonly backgroundBias?: number | readonly number[];
  /** Object radius as a fraction of the image side, `[min, max]`; default [0.16, 0.34]. */
  readonly scale?: readonly [number, number];
  /** Maximum RGB distance between the background's two colours (texture strength); default 110. */
  readonly textureContrast?: number;
  /** Minimum RGB distance between the object colour and the background's colour segment; default 90, at most 120. */
  readonly minContrast?: number;
  /** Amplitude of uniform per-pixel noise added everywhere, in 8-bit levels; default 6. */
  readonly noise?: number;
}

export interface ResolvedShapesOptions {
  readonly size: number;
  readonly seed: number;
  readonly classes: readonly ShapeName[];
  readonly backgrounds: readonly BackgroundStyle[];
  readonly backgroundBias: readonly number[];
  readonly scale: readonly [number, number];
  readonly textureContrast: number;
  readonly minContrast: number;
  readonly noise: number;
}

function fail(option: string, msg: string): never {
  throw new RangeError(`shapes option '${option}': ${msg}`);
}

function checkList<T extends string>(option: string, given: readonly T[], known: readonly string[]): readonly T[] {
  if (!Array.isArray(given) || given.length === 0) fail(option, 'expected a non-empty list');
  for (const g of given) if (!known.includes(g)) fail(option, `unknown value '${g}'; known: ${known.join(', ')}`);
  if (new Set(given).size !== given.length) fail(option, 'contains duplicates');
  return [...given];
}

function checkNumber(option: string, v: unknown, lo: number, hi: number, integer = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(option, `expected a number, got ${JSON.stringify(v)}`);
  if (integer && !Number.isInteger(v)) fail(option, `expected an integer, got ${v}`);
  if (v < lo || v > hi) fail(option, `${v} is outside [${lo}, ${hi}]`);
  return v;
}

/** Fills defaults and validates; throws a `RangeError` naming the bad option. */
export function resolveShapesOptions(o: ShapesOptions = {}): ResolvedShapesOptions {
  const size = checkNumber('size', o.size ?? 64, 16, 1024, true);
  const seed = checkNumber('seed', o.seed ?? 0, 0, 0xffffffff, true);
  const classes = checkList('classes', o.classes ?? DEFAULT_CLASSES, SHAPE_CLASSES);
  const backgrounds = checkList('backgrounds', o.backgrounds ?? BACKGROUND_STYLES, BACKGROUND_STYLES);
  const biasIn = o.backgroundBias ?? 0;
  const bias = typeof biasIn === 'number' ? classes.map(() => biasIn) : [...biasIn];
  if (bias.length !== classes.length)
    fail('backgroundBias', `expected one value per class (${classes.length}), got ${bias.length}`);
  bias.forEach((b) => checkNumber('backgroundBias', b, 0, 1));
  const scale = o.scale ?? [0.16, 0.34];
  if (!Array.isArray(scale) || scale.length !== 2) fail('scale', 'expected [min, max]');
  checkNumber('scale', scale[0], 0.05, 0.5);
  checkNumber('scale', scale[1], 0.05, 0.5);
  if (scale[0] > scale[1]) fail('scale', `min ${scale[0]} is above max ${scale[1]}`);
  const textureContrast = checkNumber('textureContrast', o.textureContrast ?? 110, 0, 442);
  const minContrast = checkNumber('minContrast', o.minContrast ?? 90, 0, 120);
  const noise = checkNumber('noise', o.noise ?? 6, 0, 32);
  return {
    size,
    seed,
    classes,
    backgrounds,
    backgroundBias: bias,
    scale: [scale[0], scale[1]],
    textureContrast,
    minContrast,
    noise,
  };
}
