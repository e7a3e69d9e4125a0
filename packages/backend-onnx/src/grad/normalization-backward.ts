import type { GradContext } from './grad-rule.js';

/**
 * d x of y = x̂·γ + β, x̂ = (x − μ)·r, r = 1/√(σ² + ε), statistics over `axes` of x (shape `xs`):
 * dx = r·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) with ĝ = dy·γ (means over `axes`). Shared by
 * LayerNormalization and InstanceNormalization; `gamma` is already broadcastable to x.
 */
export function normalizationBackward(
  ctx: GradContext,
  x: string,
  xs: readonly number[],
  axes: readonly number[],
  eps: number,
  gamma: string,
): string {
  const inv = ctx.constFloat([1 / axes.reduce((p, a) => p * xs[a]!, 1)]);
  const mean = (t: string) => ctx.op('Mul', [ctx.reduceSum(t, axes, true), inv]);
  const d = ctx.op('Sub', [x, mean(x)]);
  const r = ctx.op('Reciprocal', [
    ctx.op('Sqrt', [ctx.op('Add', [mean(ctx.op('Mul', [d, d])), ctx.constFloat([eps])])]),
  ]);
  const xhat = ctx.op('Mul', [d, r]);
  const gh = ctx.op('Mul', [ctx.gradOutput()!, gamma]);
  const inner = ctx.op('Sub', [ctx.op('Sub', [gh, mean(gh)]), ctx.op('Mul', [xhat, mean(ctx.op('Mul', [gh, xhat]))])]);
  return ctx.op('Mul', [r, inner]);
}
