import { defineGradRule } from '../grad-rule.js';

/** y = concat(x₁…xₙ, axis): dxᵢ = the slice of dy at xᵢ's offset along the axis. */
export const concatGrad = defineGradRule({
  opType: 'Concat',
  backward(ctx) {
    const rank = ctx.shape(ctx.node.outputs[0]!).length;
    const ax = ctx.node.attrs.int('axis', 0);
    const axis = ax < 0 ? ax + rank : ax;
    if (axis === 0) ctx.unsupported('concatenation along the batch axis is not supported');
    const g = ctx.gradOutput()!;
    let offset = 0;
    return ctx.node.inputs.map((x, i) => {
      const size = ctx.shape(x)[axis]!;
      const start = offset;
      offset += size;
      if (!ctx.needsGradient(i)) return null;
      return ctx.op('Slice', [g, ctx.constInt64([start]), ctx.constInt64([start + size]), ctx.constInt64([axis])]);
    });
  },
});
