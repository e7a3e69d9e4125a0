import { defineGradRule } from '../grad-rule.js';

/** (y₁…yₙ) = split(x, axis): dx = concat(dyᵢ, axis), zeros for outputs no gradient reaches. */
export const splitGrad = defineGradRule({
  opType: 'Split',
  backward(ctx) {
    const rank = ctx.shape(ctx.node.inputs[0]!).length;
    const ax = ctx.node.attrs.int('axis', 0);
    const axis = ax < 0 ? ax + rank : ax;
    const parts = ctx.node.outputs.map((y, i) => ctx.gradOutput(i) ?? ctx.zerosLike(y));
    return [ctx.op('Concat', parts, { axis }), null];
  },
});
