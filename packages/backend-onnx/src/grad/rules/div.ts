import { defineGradRule } from '../grad-rule.js';

/** y = a / b (broadcasting): da = dy / b, db = −dy·y / b, summed over broadcast axes. */
export const divGrad = defineGradRule({
  opType: 'Div',
  backward(ctx) {
    const g = ctx.gradOutput()!;
    const y = ctx.node.outputs[0]!;
    const ys = ctx.shape(y);
    const [a, b] = ctx.node.inputs as [string, string];
    return [
      ctx.needsGradient(0) ? ctx.unbroadcast(ctx.op('Div', [g, b]), ys, ctx.shape(a)) : null,
      ctx.needsGradient(1)
        ? ctx.unbroadcast(ctx.op('Neg', [ctx.op('Div', [ctx.op('Mul', [g, y]), b])]), ys, ctx.shape(b))
        : null,
    ];
  },
});
