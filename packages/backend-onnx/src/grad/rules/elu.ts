import { defineGradRule } from '../grad-rule.js';

/** y = x (x > 0), α(eˣ − 1) otherwise: dx = dy·(y > 0 ? 1 : y + α) (torch's rule, from the output). */
export const eluGrad = defineGradRule({
  opType: 'Elu',
  backward(ctx) {
    const alpha = ctx.node.attrs.float('alpha', 1);
    const y = ctx.node.outputs[0]!;
    const g = ctx.gradOutput()!;
    const neg = ctx.op('Mul', [g, ctx.op('Add', [y, ctx.constFloat([alpha])])]);
    return [ctx.op('Where', [ctx.op('Greater', [y, ctx.constFloat([0])]), g, neg])];
  },
});
