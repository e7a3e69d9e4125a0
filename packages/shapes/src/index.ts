/**
 * Seeded "shapes" image generator with object masks, and the built-in demo CNN trained on it.
 *
 * @module @gradscope/shapes
 */
export {
  createShapesGenerator,
  distanceToSegment,
  type ShapeSample,
  type ShapesGenerator,
  type Rgb,
} from './shapes-generator.js';
export { resolveShapesOptions, DEFAULT_CLASSES, type ShapesOptions, type ResolvedShapesOptions } from './options.js';
export { SHAPE_CLASSES, type ShapeName } from './shape-classes.js';
export { BACKGROUND_STYLES, type BackgroundStyle } from './backgrounds.js';
export { mulberry32, mixSeeds, type Rng } from './prng.js';
export {
  modelUrl,
  modelSidecarUrl,
  SAMPLES,
  SAMPLE_SEED,
  sampleName,
  type SampleAsset,
  type ShapesModelSidecar,
} from './assets.js';
export {
  biasedShapes,
  BIASED_SHAPE_CLASSES,
  BIASED_CONTEXTS,
  type BiasedSample,
  type BiasedSplit,
  type BiasedShapesOptions,
} from './biased-shapes.js';
