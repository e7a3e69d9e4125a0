import type { Model, Tensor } from '@gradscope/core';
import { normals } from './random.js';

/**
 * One seeded N(0, 1) image in `model`'s input shape and layout (`[1, …]`). The content does not
 * change the cost of the methods, so benchmarks need no real image.
 */
export function noiseInput(model: Pick<Model, 'input'>, seed = 42): Tensor {
  const { height, width, channels, layout } = model.input;
  const shape = layout === 'NHWC' ? [1, height, width, channels] : [1, channels, height, width];
  return { data: normals(height * width * channels, seed), shape };
}
