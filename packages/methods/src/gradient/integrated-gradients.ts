import { defineMethod } from '@gradscope/core';
import { inputGradients } from './input-gradients.js';
import { INTEGRATION_RULES, integrationPoints, type IntegrationRule } from './integration-rules.js';
import { inputResult, resolveOnInput, scoresOf } from '../perturbation/scores.js';

type IgOptions = { steps: number; rule: string; baseline: number | string; batch: number };

/**
 * Integrated Gradients: the input gradient averaged along the straight path from a baseline to x,
 * times `x − baseline`.
 *
 * Formula (Captum's `IntegratedGradients`): `attr = (x − b) ⊙ Σ_k s_k ∂score/∂x(b + α_k (x − b))`
 * with the rule's points α_k and weights s_k (`integrationPoints`: Gauss–Legendre by default,
 * Captum's; or Riemann trapezoid / left / right / middle). The baseline is a constant image: `zero`
 * (= `0`, Captum's zero baseline) or any number. The path's inputs are differentiated `batch` at a time. The class is
 * fixed on x. `metadata.completenessGap` = `Σ attr − (score(x) − score(b))` (0 for an exact
 * integral; it measures the rule's error), with `metadata.scoreDelta` = `score(x) − score(b)`.
 *
 * Output: `raw` in the input's layout `[1, …]`; `map` `[H, W]` = per-pixel max |raw| / its max.
 *
 * Paper: Sundararajan, Taly & Yan, "Axiomatic Attribution for Deep Networks", ICML 2017,
 * https://arxiv.org/abs/1703.01365
 */
export const integratedGradients = defineMethod<IgOptions>({
  id: 'integrated-gradients',
  title: 'Integrated Gradients',
  description: 'Input gradients integrated along the path from a baseline, times (input − baseline).',
  space: 'input',
  usesLayers: false,
  requires: ['input-gradients'],
  options: {
    steps: { type: 'integer', default: 50, min: 1, description: 'Number of points on the path.' },
    rule: {
      type: 'enum',
      default: 'gauss-legendre',
      values: INTEGRATION_RULES,
      description: 'How the path integral is approximated (Captum: gausslegendre, riemann_*).',
    },
    baseline: {
      type: 'number',
      default: 0,
      words: ['zero'],
      description: "Constant baseline value: 'zero' (= 0, Captum's zero baseline) or a number.",
    },
    batch: { type: 'integer', default: 16, min: 1, description: 'Path points differentiated per backend call.' },
  },
  async explain(ctx, o) {
    const { resolved, fixed } = await resolveOnInput(ctx);
    const { alphas, weights } = integrationPoints(o.rule as IntegrationRule, o.steps);
    const b = o.baseline === 'zero' ? 0 : (o.baseline as number);
    const x = ctx.input.data,
      n = x.length;
    const path = new Float32Array(alphas.length * n);
    alphas.forEach((a, k) => {
      for (let i = 0; i < n; i++) path[k * n + i] = b + Math.fround(a) * (x[i]! - b);
    });
    const g = await inputGradients(
      ctx,
      { data: path, shape: [alphas.length, ...ctx.input.shape.slice(1)] },
      fixed,
      o.batch,
    );
    const attr = new Float32Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < alphas.length; k++) s += weights[k]! * g[k * n + i]!;
      attr[i] = s * (x[i]! - b);
      total += attr[i]!;
    }
    const base = scoresOf(
      await ctx.model.forward({ data: new Float32Array(n).fill(b), shape: [...ctx.input.shape] }),
      fixed,
    )[0]!;
    const delta = resolved.score - base;
    const raw = { data: attr, shape: [...ctx.input.shape] };
    return { ...inputResult(ctx, raw, resolved), metadata: { completenessGap: total - delta, scoreDelta: delta } };
  },
});
