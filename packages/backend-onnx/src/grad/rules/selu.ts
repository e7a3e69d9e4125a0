import { defineGradRule } from '../grad-rule.js';

/** y = γx (x > 0), γα(eˣ − 1) otherwise: dx = dy·(y > 0 ? γ : y + γα) (from the output). */
export const seluGrad = defineGradRule({
  opType: 'Selu',
  backward(ctx) {
    const alpha = ctx.node.attrs.float('alpha', 1.67326319217681884765625);
    const gamma = ctx.node.attrs.float('gamma', 1.05070102214813232421875);
    const y = ctx.node.outputs[0]!;
    const g = ctx.gradOutput()!;
    const pos = ctx.op('Mul', [g, ctx.constFloat([gamma])]);
    const neg = ctx.op('Mul', [g, ctx.op('Add', [y, ctx.constFloat([gamma * alpha])])]);
    return [ctx.op('Where', [ctx.op('Greater', [y, ctx.constFloat([0])]), pos, neg])];
  },
});
