import { defineGradRule } from '../grad-rule.js';

/** y = a·b (broadcasting, e.g. SE blocks and SiLU): da = dy·b, db = dy·a, summed over broadcast axes. */
export const mulGrad = defineGradRule({
  opType: 'Mul',
  backward(ctx) {
    const g = ctx.gradOutput()!;
    const ys = ctx.shape(ctx.node.outputs[0]!);
    const [a, b] = ctx.node.inputs as [string, string];
    return [
      ctx.needsGradient(0) ? ctx.unbroadcast(ctx.op('Mul', [g, b]), ys, ctx.shape(a)) : null,
      ctx.needsGradient(1) ? ctx.unbroadcast(ctx.op('Mul', [g, a]), ys, ctx.shape(b)) : null,
    ];
  },
});
