import { defineGradRule } from '../grad-rule.js';

/** y = x·clip(x/6 + 1/2, 0, 1): dx = dy·(0 if x < −3; x/3 + 1/2 if x ≤ 3; 1 otherwise), as torch. */
export const hardSwishGrad = defineGradRule({
  opType: 'HardSwish',
  backward(ctx) {
    const x = ctx.node.inputs[0]!;
    const g = ctx.gradOutput()!;
    const mid = ctx.op('Add', [ctx.op('Div', [x, ctx.constFloat([3])]), ctx.constFloat([0.5])]);
    const upper = ctx.op('Where', [ctx.op('Greater', [x, ctx.constFloat([3])]), ctx.constFloat([1]), mid]);
    const d = ctx.op('Where', [ctx.op('Less', [x, ctx.constFloat([-3])]), ctx.constFloat([0]), upper]);
    return [ctx.op('Mul', [g, d])];
  },
});
