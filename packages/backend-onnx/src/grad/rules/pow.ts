import { defineGradRule } from '../grad-rule.js';

/** y = a^b with a constant exponent b: da = dy·b·a^(b−1). */
export const powGrad = defineGradRule({
  opType: 'Pow',
  backward(ctx) {
    const [a, b] = ctx.node.inputs as [string, string];
    if (ctx.needsGradient(1)) ctx.unsupported('a gradient with respect to the exponent is not supported');
    const e = ctx.constant(b);
    if (!e) return ctx.unsupported('the exponent must be a constant');
    const ys = ctx.shape(ctx.node.outputs[0]!);
    const bm1 = ctx.constFloat(
      Array.from(e.values, (v) => v - 1),
      e.dims,
    );
    const d = ctx.op('Mul', [ctx.op('Pow', [a, bm1]), ctx.constFloat(Array.from(e.values), e.dims)]);
    return [ctx.unbroadcast(ctx.op('Mul', [ctx.gradOutput()!, d]), ys, ctx.shape(a))];
  },
});
