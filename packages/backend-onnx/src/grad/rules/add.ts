import { defineGradRule } from '../grad-rule.js';

/** y = a + b (broadcasting): da = dy, db = dy, each summed over its broadcast axes. */
export const addGrad = defineGradRule({
  opType: 'Add',
  backward(ctx) {
    const g = ctx.gradOutput()!;
    const ys = ctx.shape(ctx.node.outputs[0]!);
    return ctx.node.inputs.map((x, i) => (ctx.needsGradient(i) ? ctx.unbroadcast(g, ys, ctx.shape(x)) : null));
  },
});
