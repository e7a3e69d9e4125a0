import { defineGradRule } from '../grad-rule.js';

/** y = clip(αx + β, 0, 1): dx = dy·α·[0 < y < 1]. */
export const hardSigmoidGrad = defineGradRule({
  opType: 'HardSigmoid',
  backward(ctx) {
    const alpha = ctx.node.attrs.float('alpha', 0.2);
    const y = ctx.node.outputs[0]!;
    const mask = ctx.op('And', [ctx.op('Greater', [y, ctx.constFloat([0])]), ctx.op('Less', [y, ctx.constFloat([1])])]);
    return [ctx.op('Where', [mask, ctx.op('Mul', [ctx.gradOutput()!, ctx.constFloat([alpha])]), ctx.constFloat([0])])];
  },
});
