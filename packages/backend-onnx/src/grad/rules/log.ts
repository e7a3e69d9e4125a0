import { defineGradRule } from '../grad-rule.js';

/** y = ln x: dx = dy / x. */
export const logGrad = defineGradRule({
  opType: 'Log',
  backward(ctx) {
    return [ctx.op('Div', [ctx.gradOutput()!, ctx.node.inputs[0]!])];
  },
});
