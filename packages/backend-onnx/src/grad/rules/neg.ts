import { defineGradRule } from '../grad-rule.js';

/** y = −x: dx = −dy. */
export const negGrad = defineGradRule({
  opType: 'Neg',
  backward: (ctx) => [ctx.op('Neg', [ctx.gradOutput()!])],
});
