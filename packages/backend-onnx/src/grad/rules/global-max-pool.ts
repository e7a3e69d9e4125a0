import { defineGradRule } from '../grad-rule.js';

/** y = max over spatial axes: dx = dy where x equals the max (ties share the gradient, like an argmax mask). */
export const globalMaxPoolGrad = defineGradRule({
  opType: 'GlobalMaxPool',
  backward(ctx) {
    const x = ctx.node.inputs[0]!;
    const mask = ctx.op('Equal', [x, ctx.node.outputs[0]!]);
    return [ctx.op('Where', [mask, ctx.op('Expand', [ctx.gradOutput()!, ctx.op('Shape', [x])]), ctx.constFloat([0])])];
  },
});
