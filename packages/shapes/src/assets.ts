import type { ShapesOptions } from './options.js';
import type { ShapeName } from './shape-classes.js';

/** Generator seed of the committed sample images (used neither for training nor for validation). */
export const SAMPLE_SEED = 3;

/** File stem of a committed sample: `<index>-<class>`. */
export const sampleName = (index: number, className: ShapeName): string => `${index}-${className}`;

/** The built-in demo model: a tfjs LayersModel (`model.json` + `weights.bin`) shipped in this package. */
export const modelUrl: URL = new URL('../model/model.json', import.meta.url);

/** The model's sidecar: normalisation, class names, input size and the generator settings. */
export const modelSidecarUrl: URL = new URL('../model/model.gradscope.json', import.meta.url);

/** A committed sample: a 64×64 PNG, its object mask (`.npy`, float32 `[64, 64]` of 0/1) and its label. */
export interface SampleAsset {
  /** Index in the generator at `SAMPLE_SEED` (default classes, size 64). */
  readonly index: number;
  readonly className: ShapeName;
  readonly label: number;
  readonly image: URL;
  readonly mask: URL;
}

/**
 * The committed samples (`samples/`, written by `pnpm --filter @gradscope/shapes samples`):
 * generator indices 0–7 at `SAMPLE_SEED` (indices 0–4 hold one image of every default class). Literal
 * URLs so that bundlers pick the files up as assets.
 */
export const SAMPLES: readonly SampleAsset[] = [
  {
    index: 0,
    className: 'square',
    label: 1,
    image: new URL('../samples/0-square.png', import.meta.url),
    mask: new URL('../samples/0-square.mask.npy', import.meta.url),
  },
  {
    index: 1,
    className: 'star',
    label: 3,
    image: new URL('../samples/1-star.png', import.meta.url),
    mask: new URL('../samples/1-star.mask.npy', import.meta.url),
  },
  {
    index: 2,
    className: 'circle',
    label: 0,
    image: new URL('../samples/2-circle.png', import.meta.url),
    mask: new URL('../samples/2-circle.mask.npy', import.meta.url),
  },
  {
    index: 3,
    className: 'triangle',
    label: 2,
    image: new URL('../samples/3-triangle.png', import.meta.url),
    mask: new URL('../samples/3-triangle.mask.npy', import.meta.url),
  },
  {
    index: 4,
    className: 'cross',
    label: 4,
    image: new URL('../samples/4-cross.png', import.meta.url),
    mask: new URL('../samples/4-cross.mask.npy', import.meta.url),
  },
  {
    index: 5,
    className: 'star',
    label: 3,
    image: new URL('../samples/5-star.png', import.meta.url),
    mask: new URL('../samples/5-star.mask.npy', import.meta.url),
  },
  {
    index: 6,
    className: 'circle',
    label: 0,
    image: new URL('../samples/6-circle.png', import.meta.url),
    mask: new URL('../samples/6-circle.mask.npy', import.meta.url),
  },
  {
    index: 7,
    className: 'square',
    label: 1,
    image: new URL('../samples/7-square.png', import.meta.url),
    mask: new URL('../samples/7-square.mask.npy', import.meta.url),
  },
];

/** The contents of `model/model.gradscope.json` (the fields consumers need; more are recorded). */
export interface ShapesModelSidecar {
  readonly normalization: { readonly mean: readonly number[]; readonly std: readonly number[] };
  readonly classes: readonly ShapeName[];
  readonly inputSize: { readonly height: number; readonly width: number };
  readonly layout: 'NHWC';
  /** The CAM layer: the feature map the network globally pools. */
  readonly featureLayer: string;
  /** Generator options and seeds the model was trained and validated with. */
  readonly generator: {
    readonly options: ShapesOptions;
    readonly trainSeed: number;
    readonly validationSeed: number;
    readonly trainImages: number;
  };
}
