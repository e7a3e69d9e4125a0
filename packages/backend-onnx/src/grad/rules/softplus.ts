import { defineGradRule } from '../grad-rule.js';

/** y = log(1 + eˣ): dx = dy·σ(x). */
export const softplusGrad = defineGradRule({
  opType: 'Softplus',
  backward(ctx) {
    return [ctx.op('Mul', [ctx.gradOutput()!, ctx.op('Sigmoid', [ctx.node.inputs[0]!])])];
  },
});
