import { defineGradRule } from '../grad-rule.js';

/**
 * y = γ_c·x̂ + β_c with x̂ = (x − μ)·r, r = 1/√(σ² + ε), statistics per image and channel over the
 * spatial axes: dx = r·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) with ĝ = dy·γ_c (means over the spatial axes),
 * LayerNormalization's rule on those axes. Scale and bias get no gradient.
 */
export const instanceNormalizationGrad = defineGradRule({
  opType: 'InstanceNormalization',
  backward(ctx) {
    const { node } = ctx;
    const [x, scale] = node.inputs as [string, string];
    if (ctx.needsGradient(1) || ctx.needsGradient(2)) ctx.unsupported('gradients with respect to a computed scale or bias are not supported');
    const xs = ctx.shape(x);
    const axes = Array.from({ length: xs.length - 2 }, (_, i) => i + 2);
    if (!axes.length) ctx.unsupported('InstanceNormalization needs at least one spatial axis');
    const inv = ctx.constFloat([1 / axes.reduce((p, a) => p * xs[a]!, 1)]);
    const mean = (t: string) => ctx.op('Mul', [ctx.reduceSum(t, axes, true), inv]);
    const eps = node.attrs.float('epsilon', 1e-5);
    const d = ctx.op('Sub', [x, mean(x)]);
    const r = ctx.op('Reciprocal', [ctx.op('Sqrt', [ctx.op('Add', [mean(ctx.op('Mul', [d, d])), ctx.constFloat([eps])])])]);
    const xhat = ctx.op('Mul', [d, r]);
    const gamma = ctx.unsqueeze(scale, axes.map((a) => a - 1)); // [C] → [C, 1, …]
    const gh = ctx.op('Mul', [ctx.gradOutput()!, gamma]);
    const inner = ctx.op('Sub', [ctx.op('Sub', [gh, mean(gh)]), ctx.op('Mul', [xhat, mean(ctx.op('Mul', [gh, xhat]))])]);
    return [ctx.op('Mul', [r, inner]), null, null];
  },
});
