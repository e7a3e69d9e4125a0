import { defineGradRule } from '../grad-rule.js';

/** y = erf(x) (GELU): dx = dy·(2/√π)·exp(−x²). */
export const erfGrad = defineGradRule({
  opType: 'Erf',
  backward(ctx) {
    const x = ctx.node.inputs[0]!;
    const e = ctx.op('Exp', [ctx.op('Neg', [ctx.op('Mul', [x, x])])]);
    return [ctx.op('Mul', [ctx.gradOutput()!, ctx.op('Mul', [e, ctx.constFloat([2 / Math.sqrt(Math.PI)])])])];
  },
});
