import { defineGradRule } from '../grad-rule.js';

/** y = x broadcast to a shape: dx = dy summed over the broadcast axes. */
export const expandGrad = defineGradRule({
  opType: 'Expand',
  backward(ctx) {
    const x = ctx.node.inputs[0]!;
    return [ctx.unbroadcast(ctx.gradOutput()!, ctx.shape(ctx.node.outputs[0]!), ctx.shape(x)), null];
  },
});
