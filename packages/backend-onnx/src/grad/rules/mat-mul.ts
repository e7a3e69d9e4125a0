import { defineGradRule } from '../grad-rule.js';

/** y = A·B (batched, broadcasting, rank ≥ 2): dA = dy·Bᵀ, dB = Aᵀ·dy, summed over broadcast axes. */
export const matMulGrad = defineGradRule({
  opType: 'MatMul',
  backward(ctx) {
    const [A, B] = ctx.node.inputs as [string, string];
    const as = ctx.shape(A);
    const bs = ctx.shape(B);
    if (as.length < 2 || bs.length < 2) ctx.unsupported('1-D operands are not supported');
    const ys = ctx.shape(ctx.node.outputs[0]!);
    const g = ctx.gradOutput()!;
    const T = (t: string, r: number) =>
      ctx.op('Transpose', [t], { perm: [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2] });
    const gradShape = (s: readonly number[]) => [...ys.slice(0, -2), ...s.slice(-2)];
    return [
      ctx.needsGradient(0) ? ctx.unbroadcast(ctx.op('MatMul', [g, T(B, bs.length)]), gradShape(as), as) : null,
      ctx.needsGradient(1) ? ctx.unbroadcast(ctx.op('MatMul', [T(A, as.length), g]), gradShape(bs), bs) : null,
    ];
  },
});
