import { defineGradRule } from '../grad-rule.js';

/** y = a − b (broadcasting): da = dy, db = −dy, each summed over its broadcast axes. */
export const subGrad = defineGradRule({
  opType: 'Sub',
  backward(ctx) {
    const g = ctx.gradOutput()!;
    const ys = ctx.shape(ctx.node.outputs[0]!);
    const [a, b] = ctx.node.inputs;
    return [
      ctx.needsGradient(0) ? ctx.unbroadcast(g, ys, ctx.shape(a!)) : null,
      ctx.needsGradient(1) ? ctx.unbroadcast(ctx.op('Neg', [g]), ys, ctx.shape(b!)) : null,
    ];
  },
});
