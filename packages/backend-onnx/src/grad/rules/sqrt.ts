import { defineGradRule } from '../grad-rule.js';

/** y = √x: dx = dy / (2y). */
export const sqrtGrad = defineGradRule({
  opType: 'Sqrt',
  backward(ctx) {
    const y = ctx.node.outputs[0]!;
    return [ctx.op('Div', [ctx.gradOutput()!, ctx.op('Mul', [y, ctx.constFloat([2])])])];
  },
});
