import { defineGradRule } from '../grad-rule.js';

/** y = 1/x: dx = −dy·y². */
export const reciprocalGrad = defineGradRule({
  opType: 'Reciprocal',
  backward(ctx) {
    const y = ctx.node.outputs[0]!;
    return [ctx.op('Neg', [ctx.op('Mul', [ctx.gradOutput()!, ctx.op('Mul', [y, y])])])];
  },
});
