import { defineGradRule } from '../grad-rule.js';

/** y = x (x ≥ 0), αx otherwise: dx = dy·(y > 0 ? 1 : α). */
export const leakyReluGrad = defineGradRule({
  opType: 'LeakyRelu',
  backward(ctx) {
    const alpha = ctx.node.attrs.float('alpha', 0.01);
    const g = ctx.gradOutput()!;
    const pos = ctx.op('Greater', [ctx.node.outputs[0]!, ctx.constFloat([0])]);
    return [ctx.op('Where', [pos, g, ctx.op('Mul', [g, ctx.constFloat([alpha])])])];
  },
});
