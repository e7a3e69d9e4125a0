import { defineGradRule } from '../grad-rule.js';

/** y = Σ xᵢ (broadcasting): dxᵢ = dy summed over xᵢ's broadcast axes. */
export const sumGrad = defineGradRule({
  opType: 'Sum',
  backward(ctx) {
    const g = ctx.gradOutput()!;
    const ys = ctx.shape(ctx.node.outputs[0]!);
    return ctx.node.inputs.map((x, i) => (ctx.needsGradient(i) ? ctx.unbroadcast(g, ys, ctx.shape(x)) : null));
  },
});
