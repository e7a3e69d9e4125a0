import { defineGradRule } from '../grad-rule.js';
import { convTransposeBack } from '../conv-transpose-back.js';

/**
 * y = avgpool(x): dx = ConvTranspose(dy / D, ones) per channel, where D is each output window's
 * divisor (the kernel size, or the count of non-pad elements with count_include_pad=0; windows of
 * ceil mode are clipped to the padded input).
 */
export const averagePoolGrad = defineGradRule({
  opType: 'AveragePool',
  backward(ctx) {
    const a = ctx.node.attrs;
    const x = ctx.node.inputs[0]!;
    const xs = ctx.shape(x);
    const ys = ctx.shape(ctx.node.outputs[0]!);
    const kernel = a.ints('kernel_shape', []);
    const r = kernel.length;
    if (a.string('auto_pad', 'NOTSET') !== 'NOTSET') ctx.unsupported('auto_pad is not supported for AveragePool');
    const strides = a.ints('strides', Array(r).fill(1));
    const dilations = a.ints('dilations', Array(r).fill(1));
    if (dilations.some((d) => d !== 1)) ctx.unsupported('dilations are not supported for AveragePool');
    const pads = a.ints('pads', Array(2 * r).fill(0));
    const includePad = a.int('count_include_pad', 0) === 1;
    // Per-axis divisor factors; the window divisor is their product.
    const factors = kernel.map((k, i) =>
      Array.from({ length: ys[2 + i]! }, (_, o) => {
        const start = o * strides[i]! - pads[i]!;
        const lo = includePad ? -pads[i]! : 0;
        const hi = includePad ? xs[2 + i]! + pads[i + r]! : xs[2 + i]!;
        return Math.max(0, Math.min(start + k, hi) - Math.max(start, lo));
      }),
    );
    const spatial = ys.slice(2);
    const count = spatial.reduce((p, d) => p * d, 1);
    const inv = new Float32Array(count);
    for (let f = 0; f < count; f++) {
      let rem = f;
      let d = 1;
      for (let i = r - 1; i >= 0; i--) {
        d *= factors[i]![rem % spatial[i]!]!;
        rem = Math.floor(rem / spatial[i]!);
      }
      inv[f] = d > 0 ? 1 / d : 0;
    }
    const C = xs[1]!;
    const g = ctx.op('Mul', [ctx.gradOutput()!, ctx.constFloat(inv, [1, 1, ...spatial])]);
    const ones = ctx.constFloat(new Float32Array(C * kernel.reduce((p, k) => p * k, 1)).fill(1), [C, 1, ...kernel]);
    return [convTransposeBack(ctx, g, ones, { kernel, strides, dilations, pads, group: C }, xs, ys)];
  },
});
