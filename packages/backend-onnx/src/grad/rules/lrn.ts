import { defineGradRule, type GradContext } from '../grad-rule.js';

/**
 * y = x·s^(−β), s = bias + (α/size)·Σ_{window(c)} x² over channels, window(c) = [c − ⌊(size−1)/2⌋,
 * c + ⌈(size−1)/2⌉] (the LocalResponseNormalization of AlexNet, GoogLeNet v1 and ZFNet — the
 * network deconvnets were made for):
 *
 *   dx_c = dy_c·s_c^(−β) − (2αβ/size)·x_c·Σ_{k: c ∈ window(k)} dy_k·x_k·s_k^(−β−1)
 *
 * Channel-window sums are a Conv with a ones kernel over channels (the tensor viewed as
 * [N, 1, C, H·W]); the transposed window swaps the two pads.
 */
export const lrnGrad = defineGradRule({
  opType: 'LRN',
  backward(ctx) {
    const { node } = ctx;
    const x = node.inputs[0]!;
    const xs = ctx.shape(x);
    if (xs.length < 3) ctx.unsupported('LRN needs an input with channels and at least one spatial axis');
    const size = node.attrs.int('size', 0);
    if (size < 1) ctx.unsupported(`size ${size} is not positive`);
    const alpha = node.attrs.float('alpha', 1e-4);
    const beta = node.attrs.float('beta', 0.75);
    const bias = node.attrs.float('bias', 1);
    const lo = Math.floor((size - 1) / 2);
    const hi = Math.ceil((size - 1) / 2);
    const s = ctx.op('Add', [
      ctx.op('Mul', [windowSum(ctx, ctx.op('Mul', [x, x]), xs, size, lo, hi), ctx.constFloat([alpha / size])]),
      ctx.constFloat([bias]),
    ]);
    const p = ctx.op('Pow', [s, ctx.constFloat([-beta])]);
    const g = ctx.gradOutput()!;
    const q = ctx.op('Mul', [ctx.op('Mul', [g, x]), ctx.op('Div', [p, s])]);
    const back = ctx.op('Mul', [
      ctx.op('Mul', [x, windowSum(ctx, q, xs, size, hi, lo)]),
      ctx.constFloat([(2 * alpha * beta) / size]),
    ]);
    return [ctx.op('Sub', [ctx.op('Mul', [g, p]), back])];
  },
});

/** Σ over channels c − before … c + after (zero outside), as a ones-kernel Conv over the channel axis. */
function windowSum(
  ctx: GradContext,
  t: string,
  shape: readonly number[],
  size: number,
  before: number,
  after: number,
): string {
  const C = shape[1]!;
  const view = ctx.op('Reshape', [t, ctx.constInt64([0, 1, C, -1])]);
  const ones = ctx.constFloat(new Float32Array(size).fill(1), [1, 1, size, 1]);
  const summed = ctx.op('Conv', [view, ones], { kernel_shape: [size, 1], pads: [before, 0, after, 0] });
  return ctx.op('Reshape', [summed, ctx.op('Shape', [t])]);
}
