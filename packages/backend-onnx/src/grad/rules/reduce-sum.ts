import { defineGradRule } from '../grad-rule.js';

/** y = Σ of x over `axes`: dx = expand(dy) to x's shape. */
export const reduceSumGrad = defineGradRule({
  opType: 'ReduceSum',
  backward(ctx) {
    const { node } = ctx;
    const x = node.inputs[0]!;
    const rank = ctx.shape(x).length;
    let axes: number[] | null;
    if (ctx.opset >= 13) {
      const c = node.inputs[1] ? ctx.constant(node.inputs[1]) : null;
      if (node.inputs[1] && !c) ctx.unsupported('axes must be a constant');
      axes = c ? Array.from(c.values) : null;
    } else axes = node.attrs.has('axes') ? node.attrs.ints('axes', []) : null;
    if (!axes?.length) axes = Array.from({ length: rank }, (_, i) => i);
    axes = axes.map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
    let g = ctx.gradOutput()!;
    if (node.attrs.int('keepdims', 1) === 0) g = ctx.unsqueeze(g, axes);
    return [ctx.op('Expand', [g, ctx.op('Shape', [x])]), null];
  },
});
