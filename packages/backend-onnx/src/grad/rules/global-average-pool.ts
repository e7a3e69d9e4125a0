import { defineGradRule } from '../grad-rule.js';

/** y = mean over spatial axes: dx = expand(dy) / (H·W). */
export const globalAveragePoolGrad = defineGradRule({
  opType: 'GlobalAveragePool',
  backward(ctx) {
    const x = ctx.node.inputs[0]!;
    const hw = ctx
      .shape(x)
      .slice(2)
      .reduce((a, b) => a * b, 1);
    const e = ctx.op('Expand', [ctx.gradOutput()!, ctx.op('Shape', [x])]);
    return [ctx.op('Mul', [e, ctx.constFloat([1 / hw])])];
  },
});
