import { defineGradRule } from '../grad-rule.js';

/** y = |x|: dx = dy·sign(x) (0 at x = 0, like torch). */
export const absGrad = defineGradRule({
  opType: 'Abs',
  backward(ctx) {
    return [ctx.op('Mul', [ctx.gradOutput()!, ctx.op('Sign', [ctx.node.inputs[0]!])])];
  },
});
