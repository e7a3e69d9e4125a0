import { defineGradRule } from '../grad-rule.js';

/** y = softmax(x, axis) (opset ≥ 13 semantics): dx = y·(dy − Σ_axis dy·y). */
export const softmaxGrad = defineGradRule({
  opType: 'Softmax',
  backward(ctx) {
    const y = ctx.node.outputs[0]!;
    const rank = ctx.shape(y).length;
    const ax = ctx.node.attrs.int('axis', ctx.opset >= 13 ? -1 : 1);
    const axis = ax < 0 ? ax + rank : ax;
    if (ctx.opset < 13 && axis !== rank - 1)
      ctx.unsupported('before opset 13, only softmax over the last axis is supported');
    const g = ctx.gradOutput()!;
    const s = ctx.reduceSum(ctx.op('Mul', [g, y]), [axis], true);
    return [ctx.op('Mul', [y, ctx.op('Sub', [g, s])])];
  },
});
