import { defineGradRule } from '../grad-rule.js';

/** y = tanh(x): dx = dy·(1 − y²). */
export const tanhGrad = defineGradRule({
  opType: 'Tanh',
  backward(ctx) {
    const y = ctx.node.outputs[0]!;
    return [ctx.op('Mul', [ctx.gradOutput()!, ctx.op('Sub', [ctx.constFloat([1]), ctx.op('Mul', [y, y])])])];
  },
});
