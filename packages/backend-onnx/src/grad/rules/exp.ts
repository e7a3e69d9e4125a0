import { defineGradRule } from '../grad-rule.js';

/** y = exp(x): dx = dy·y. */
export const expGrad = defineGradRule({
  opType: 'Exp',
  backward: (ctx) => [ctx.op('Mul', [ctx.gradOutput()!, ctx.node.outputs[0]!])],
});
