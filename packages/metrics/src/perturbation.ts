import type { Tensor } from '@gradscope/core';

/**
 * Where a perturbation metric's random draws come from: sample `i`'s perturbation of one input, a flat
 * array of the input's size in its layout. The metrics draw their own, seeded from the subject's
 * `seed`; tests inject another source to feed Captum and gradscope the same draws.
 */
export type PerturbationSource = (sample: number, input: Tensor) => Float32Array | Promise<Float32Array>;
