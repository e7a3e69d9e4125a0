import { defineGradRule } from '../grad-rule.js';

/** y = cast(x): a float-to-float cast passes dy through; other casts carry no gradient. */
export const castGrad = defineGradRule({
  opType: 'Cast',
  backward: (ctx) => [ctx.node.attrs.int('to', 0) === 1 ? ctx.gradOutput() : null],
});
