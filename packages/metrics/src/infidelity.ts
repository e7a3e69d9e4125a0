import { BadInputError, type Tensor } from '@gradscope/core';
import { checkPlane, imageGeometry } from './image-geometry.js';
import { defineMetric, type Metric } from './metric.js';
import type { PerturbationSource } from './perturbation.js';
import { gaussianArray, mixSeeds } from './random.js';

export type InfidelityOptions = { samples: number; noise: number; normalize: boolean; maxExamplesPerBatch: number };

/** Σ attribution·I for one perturbation: the input-space attribution, or the `[H, W]` map on every channel. */
function attributionDot(
  input: Tensor,
  map: Tensor,
  attribution: Tensor | undefined,
  I: Float32Array,
  layout: 'NCHW' | 'NHWC',
): number {
  let s = 0;
  if (attribution) {
    for (let j = 0; j < I.length; j++) s += attribution.data[j]! * I[j]!;
    return s;
  }
  const g = imageGeometry(input, layout);
  for (let p = 0; p < g.height * g.width; p++)
    for (let c = 0; c < g.channels; c++) s += map.data[p]! * I[c * g.channelStride + p * g.pixelStride]!;
  return s;
}

/**
 * Captum's `infidelity` (Yeh, Hsieh, Suggala, Inouye & Ravikumar, "On the (In)fidelity and Sensitivity
 * of Explanations", NeurIPS 2019; https://arxiv.org/abs/1901.09392), as `captum.metrics.infidelity`
 * computes it for one input: for `samples` perturbations I,
 *   a_i = Σ attribution·I_i,   b_i = f(x) − f(x − I_i)   (f: the target's score, `ctx.scores`),
 * infidelity = mean (a_i − b_i)², or with `normalize` (β = Σ a·b / Σ a², Captum's `safe_div`: a zero
 * denominator becomes 1) mean (β·a_i − b_i)² = (β²Σa² − 2βΣab + Σb²) / samples. Lower is better.
 *
 * Choices:
 * - The attribution is the subject's `attribution` (input space) when given, else the `[H, W]` map
 *   broadcast over the channels (every channel of a pixel gets the pixel's map value): Grad-CAM-like
 *   maps are local explanations, so the perturbation is not multiplied by the input (Captum's
 *   `multiply_by_inputs=False`).
 * - Captum leaves the perturbation to the caller; gradscope's is the one of Captum's own example,
 *   I ~ N(0, `noise`²) per input value (default 0.003, in the normalised input space), perturbed input
 *   x − I, seeded by `ctx.seed` (sample i draws from its own stream, so chunking does not change it).
 * - `normalize` defaults to true, unlike Captum: gradscope's maps are min-max scaled, so their scale
 *   says nothing about the model and only the scale-invariant form is meaningful.
 * - `maxExamplesPerBatch` only chunks the model calls (Captum's name), the value does not depend on it.
 * `infidelityMetric(perturb)` builds the metric with another perturbation source (tests: Captum's draws).
 */
export function infidelityMetric(perturb?: PerturbationSource): Metric<InfidelityOptions> {
  return defineMetric<InfidelityOptions>({
    id: 'infidelity',
    title: 'Infidelity',
    description:
      "Captum's infidelity: mean squared error between Σ attribution·I and the score change f(x) − f(x − I) under random perturbations I (Yeh et al. 2019); lower is better.",
    higherIsBetter: false,
    needs: [],
    options: {
      samples: { type: 'integer', default: 10, min: 1, description: "perturbations (Captum's n_perturb_samples)" },
      noise: { type: 'number', default: 0.003, min: 0, description: 'σ of the gaussian perturbation (input space)' },
      normalize: { type: 'boolean', default: true, description: 'scale the attribution by the best β first' },
      maxExamplesPerBatch: { type: 'integer', default: 32, min: 1, description: 'perturbed inputs per model call' },
    },
    compute: async (ctx, o) => {
      const { input, map, attribution } = ctx;
      const layout = ctx.model.input.layout;
      checkPlane(map, imageGeometry(input, layout), 'map');
      if (attribution && attribution.data.length !== input.data.length)
        throw new BadInputError(
          `the attribution [${attribution.shape.join(', ')}] must have the input's shape [${input.shape.join(', ')}]`,
        );
      const draw = perturb ?? ((i: number) => gaussianArray(input.data.length, o.noise, mixSeeds(ctx.seed, i)));
      const a = new Float64Array(o.samples);
      const size = input.data.length;
      const make = async (from: number, to: number): Promise<Tensor> => {
        const out = new Float32Array((to - from) * size);
        for (let i = from; i < to; i++) {
          const I = await draw(i, input);
          if (I.length !== size) throw new BadInputError(`perturbation ${i} has ${I.length} values, the input ${size}`);
          a[i] = attributionDot(input, map, attribution, I, layout);
          for (let j = 0; j < size; j++) out[(i - from) * size + j] = input.data[j]! - I[j]!;
        }
        return { data: out, shape: [to - from, ...input.shape.slice(1)] };
      };
      const fx = ctx.resolved.score;
      const scores = ctx.scores(await ctx.forwardBatch({ count: o.samples, make }, { batch: o.maxExamplesPerBatch }));
      let [aa, ab, bb] = [0, 0, 0];
      for (let i = 0; i < o.samples; i++) {
        const b = fx - scores[i]!;
        [aa, ab, bb] = [aa + a[i]! * a[i]!, ab + a[i]! * b, bb + b * b];
      }
      const beta = o.normalize ? ab / (aa === 0 ? 1 : aa) : 1;
      const value = (beta * beta * aa - 2 * beta * ab + bb) / o.samples;
      return { value, details: { beta, samples: o.samples } };
    },
  });
}

export const infidelity = infidelityMetric();
