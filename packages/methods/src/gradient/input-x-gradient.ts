import { defineMethod } from '@gradscope/core';
import { inputGradients } from './input-gradients.js';
import { inputResult, resolveOnInput } from '../perturbation/scores.js';

/**
 * Input × Gradient: the input gradient times the input, element-wise.
 *
 * Formula: `raw = x ⊙ ∂score/∂x` (Captum's `InputXGradient`); the class is fixed on x.
 *
 * Output: `raw` in the input's layout `[1, …]`; `map` `[H, W]` = per-pixel max |raw| / its max.
 *
 * Paper: Shrikumar et al., "Not Just a Black Box: Learning Important Features Through Propagating
 * Activation Differences", 2016, https://arxiv.org/abs/1605.01713
 */
export const inputXGradient = defineMethod<Record<string, never>>({
  id: 'input-x-gradient',
  title: 'Input × Gradient',
  description: 'The input gradient multiplied element-wise by the input.',
  space: 'input',
  usesLayers: false,
  requires: ['input-gradients'],
  options: {},
  async explain(ctx) {
    const { resolved, fixed } = await resolveOnInput(ctx);
    const g = await inputGradients(ctx, ctx.input, fixed, 1);
    const x = ctx.input.data;
    const raw = { data: g.map((v, i) => v * x[i]!), shape: [...ctx.input.shape] };
    return inputResult(ctx, raw, resolved);
  },
});
