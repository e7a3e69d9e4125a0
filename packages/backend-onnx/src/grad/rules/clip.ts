import { defineGradRule } from '../grad-rule.js';
import { reluBackward } from '../relu-backward.js';

/**
 * y = clip(x, lo, hi): dx = dy·[lo < y < hi] (torch's hardtanh backward). A clip with lo = 0 (ReLU6)
 * counts as a ReLU for guided backprop and deconvnet; other clips always use the standard rule.
 * (Measured slower on mobilenet_v2: deriving the mask with float ops, (y − lo)·(hi − y) > 0, on
 * onnxruntime-node; applying it as g·Cast(mask) instead of Where on onnxruntime-web.)
 */
export const clipGrad = defineGradRule({
  opType: 'Clip',
  backward(ctx) {
    const { node } = ctx;
    const y = node.outputs[0]!;
    const g = ctx.gradOutput()!;
    let lo: string | null = null;
    let hi: string | null = null;
    let loValue: number | null = null;
    if (ctx.opset >= 11) {
      lo = node.inputs[1] || null;
      hi = node.inputs[2] || null;
      if (lo) loValue = ctx.constant(lo)?.values[0] ?? null;
    } else {
      const a = node.attrs;
      if (a.has('min')) (loValue = a.float('min', 0)), (lo = ctx.constFloat([loValue]));
      if (a.has('max')) hi = ctx.constFloat([a.float('max', 0)]);
    }
    if (loValue === 0 && ctx.reluMode === 'deconvnet') return [ctx.op('Relu', [g])]; // no mask needed
    const parts = [lo && ctx.op('Greater', [y, lo]), hi && ctx.op('Less', [y, hi])].filter((m): m is string => !!m);
    if (!parts.length) return [g];
    const mask = parts.length === 2 ? ctx.op('And', parts) : parts[0]!;
    if (loValue === 0) return [reluBackward(ctx, g, mask)];
    return [ctx.op('Where', [mask, g, ctx.constFloat([0])])];
  },
});
