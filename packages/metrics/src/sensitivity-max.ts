import { BadInputError, type Tensor } from '@gradscope/core';
import { defineMetric, type Metric } from './metric.js';
import type { PerturbationSource } from './perturbation.js';
import { mixSeeds, uniformArray } from './random.js';

export type SensitivityOptions = { samples: number; radius: number };

const frobenius = (d: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i]! * d[i]!;
  return Math.sqrt(s);
};

/**
 * Captum's `sensitivity_max` (Yeh et al., "On the (In)fidelity and Sensitivity of Explanations",
 * NeurIPS 2019; https://arxiv.org/abs/1901.09392), as `captum.metrics.sensitivity_max` computes it for
 * one input with its defaults: for `samples` perturbations δ_i drawn uniformly from the L∞ ball of
 * radius `radius` (Captum's `default_perturb_func`, 0.02), the input x + δ_i is re-explained and
 *   sensitivity = max_i ‖Φ(x) − Φ(x + δ_i)‖_F / ‖Φ(x)‖_F   (a zero ‖Φ(x)‖ becomes 1, as Captum).
 * Lower is better: a stable explanation barely moves under noise the model should not care about.
 *
 * Choices: Φ(x) is the subject's map (the explanation judged; Captum re-explains x, equal for a
 * deterministic method) and Φ(x + δ) the subject's `explain` of the perturbed input, one at a time;
 * the norm is Frobenius (Captum's default `norm_ord`); δ lives in the normalised input space; draws are
 * seeded by `ctx.seed` (sample i from its own stream). `sensitivityMaxMetric(perturb)` takes another
 * source of δ (tests: Captum's draws).
 */
export function sensitivityMaxMetric(perturb?: PerturbationSource): Metric<SensitivityOptions> {
  return defineMetric<SensitivityOptions>({
    id: 'sensitivity-max',
    title: 'Max-sensitivity',
    description:
      "Captum's sensitivity_max: the largest relative change ‖Φ(x) − Φ(x + δ)‖/‖Φ(x)‖ of the explanation under uniform noise δ in an L∞ ball (Yeh et al. 2019); lower is better.",
    higherIsBetter: false,
    needs: ['explain'],
    options: {
      samples: { type: 'integer', default: 10, min: 1, description: "perturbations (Captum's n_perturb_samples)" },
      radius: { type: 'number', default: 0.02, min: 0, description: "radius of the L∞ ball (Captum's perturb_radius)" },
    },
    compute: async (ctx, o) => {
      const { input, map } = ctx;
      const explain = ctx.explain!;
      const size = input.data.length;
      const draw = perturb ?? ((i: number) => uniformArray(size, -o.radius, o.radius, mixSeeds(ctx.seed, i)));
      const norm = frobenius(map.data) || 1;
      let max = -Infinity;
      let sum = 0;
      for (let i = 0; i < o.samples; i++) {
        ctx.checkAborted();
        const d = await draw(i, input);
        if (d.length !== size) throw new BadInputError(`perturbation ${i} has ${d.length} values, the input ${size}`);
        const x: Tensor = { data: input.data.map((v, j) => v + d[j]!), shape: input.shape };
        const m = await explain(x);
        if (m.data.length !== map.data.length)
          throw new BadInputError(
            `the re-explained map [${m.shape.join(', ')}] differs in size from the map [${map.shape.join(', ')}]`,
          );
        const s = frobenius(map.data.map((v, j) => v - m.data[j]!)) / norm;
        [max, sum] = [Math.max(max, s), sum + s];
        ctx.onProgress(i + 1, o.samples);
      }
      return { value: max, details: { mean: sum / o.samples, samples: o.samples } };
    },
  });
}

export const sensitivityMax = sensitivityMaxMetric();
