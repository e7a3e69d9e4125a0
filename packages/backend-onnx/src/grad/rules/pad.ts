import { defineGradRule } from '../grad-rule.js';

/** y = pad(x) in constant mode with non-negative constant pads: dx = the centre slice of dy. */
export const padGrad = defineGradRule({
  opType: 'Pad',
  backward(ctx) {
    const { node } = ctx;
    if (node.attrs.string('mode', 'constant') !== 'constant') ctx.unsupported('only constant-mode Pad is supported');
    const xs = ctx.shape(node.inputs[0]!);
    const rank = xs.length;
    let pads: number[];
    if (ctx.opset >= 11) {
      const c = ctx.constant(node.inputs[1]!);
      if (!c) return ctx.unsupported('pads must be a constant');
      pads = Array.from(c.values);
      if (node.inputs[3]) ctx.unsupported('the axes input is not supported');
    } else pads = node.attrs.ints('pads', []);
    if (pads.some((p) => p < 0)) ctx.unsupported('negative pads are not supported');
    if (pads[0] || pads[rank]) ctx.unsupported('padding the batch axis is not supported');
    const axes = xs.map((_, i) => i).filter((i) => i > 0);
    const starts = axes.map((a) => pads[a]!);
    const ends = axes.map((a) => pads[a]! + xs[a]!);
    return [
      ctx.op('Slice', [ctx.gradOutput()!, ctx.constInt64(starts), ctx.constInt64(ends), ctx.constInt64(axes)]),
      null,
      null,
      null,
    ];
  },
});
