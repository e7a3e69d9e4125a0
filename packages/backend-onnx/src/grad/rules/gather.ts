import { defineGradRule } from '../grad-rule.js';

/**
 * y = gather(x, indices, axis) with constant scalar or 1-D indices (e.g. `x[:, 0]`): dx = Σ_k dy_k
 * zero-padded back to position indices[k] along the axis (repeated indices add up).
 */
export const gatherGrad = defineGradRule({
  opType: 'Gather',
  backward(ctx) {
    const { node } = ctx;
    const [x, indices] = node.inputs as [string, string];
    const idx = ctx.constant(indices);
    if (!idx || idx.dims.length > 1) return ctx.unsupported('only constant scalar or 1-D indices are supported');
    const xs = ctx.shape(x);
    const rank = xs.length;
    const ax = node.attrs.int('axis', 0);
    const axis = ax < 0 ? ax + rank : ax;
    if (axis === 0) return ctx.unsupported('gathering along the batch axis is not supported');
    const D = xs[axis]!;
    const g = ctx.gradOutput()!;
    const scalar = idx.dims.length === 0;
    const parts = Array.from(idx.values, (v, k) => {
      const i = v < 0 ? v + D : v;
      const gk = scalar
        ? ctx.unsqueeze(g, [axis])
        : ctx.op('Slice', [g, ctx.constInt64([k]), ctx.constInt64([k + 1]), ctx.constInt64([axis])]);
      const pads: number[] = Array(2 * rank).fill(0);
      pads[axis] = i;
      pads[axis + rank] = D - 1 - i;
      return ctx.op('Pad', [gk, ctx.constInt64(pads)]);
    });
    return [parts.length === 1 ? parts[0]! : ctx.op('Sum', parts), null];
  },
});
