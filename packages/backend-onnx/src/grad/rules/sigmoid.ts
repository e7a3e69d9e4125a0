import { defineGradRule } from '../grad-rule.js';

/** y = σ(x) (also SiLU = x·σ(x) via Mul): dx = dy·y·(1 − y). */
export const sigmoidGrad = defineGradRule({
  opType: 'Sigmoid',
  backward(ctx) {
    const y = ctx.node.outputs[0]!;
    const d = ctx.op('Mul', [y, ctx.op('Sub', [ctx.constFloat([1]), y])]);
    return [ctx.op('Mul', [ctx.gradOutput()!, d])];
  },
});
