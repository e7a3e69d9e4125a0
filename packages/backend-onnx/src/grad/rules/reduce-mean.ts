import { defineGradRule } from '../grad-rule.js';

/** y = mean of x over `axes`: dx = expand(dy) / (number of reduced elements). */
export const reduceMeanGrad = defineGradRule({
  opType: 'ReduceMean',
  backward(ctx) {
    const { node } = ctx;
    const x = node.inputs[0]!;
    const xs = ctx.shape(x);
    const rank = xs.length;
    let axes: number[];
    if (ctx.opset >= 18 && node.inputs[1]) {
      const c = ctx.constant(node.inputs[1]);
      if (!c) return ctx.unsupported('axes must be a constant');
      axes = Array.from(c.values);
    } else axes = node.attrs.ints('axes', []);
    if (!axes.length) axes = xs.map((_, i) => i);
    axes = axes.map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
    if (axes.includes(0)) ctx.unsupported('reducing over the batch axis is not supported');
    const count = axes.reduce((p, a) => p * xs[a]!, 1);
    let g = ctx.gradOutput()!;
    if (node.attrs.int('keepdims', 1) === 0) g = ctx.unsqueeze(g, axes);
    return [ctx.op('Mul', [ctx.op('Expand', [g, ctx.op('Shape', [x])]), ctx.constFloat([1 / count])]), null];
  },
});
