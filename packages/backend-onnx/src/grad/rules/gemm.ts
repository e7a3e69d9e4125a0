import { defineGradRule } from '../grad-rule.js';

/**
 * y = α·A'·B' + β·C (A' = Aᵀ if transA, B' = Bᵀ if transB): dA' = α·dy·B'ᵀ, dB' = α·A'ᵀ·dy,
 * dC = β·dy summed over C's broadcast axes. ORT folds the transposes of constant weights.
 */
export const gemmGrad = defineGradRule({
  opType: 'Gemm',
  backward(ctx) {
    const { node } = ctx;
    const [A, B, C] = node.inputs as [string, string, string | undefined];
    const a = node.attrs;
    const alpha = a.float('alpha', 1);
    const beta = a.float('beta', 1);
    const transA = a.int('transA', 0) === 1;
    const transB = a.int('transB', 0) === 1;
    let g = ctx.gradOutput()!;
    const gs = g;
    if (alpha !== 1) g = ctx.op('Mul', [g, ctx.constFloat([alpha])]);
    const T = (t: string) => ctx.op('Transpose', [t], { perm: [1, 0] });
    let dA: string | null = null;
    let dB: string | null = null;
    if (ctx.needsGradient(0)) {
      const Bp = transB ? B : T(B); // B'ᵀ
      dA = ctx.op('MatMul', [g, Bp]); // dA'
      if (transA) dA = T(dA);
    }
    if (ctx.needsGradient(1)) {
      const ApT = transA ? A : T(A);
      dB = ctx.op('MatMul', [ApT, g]); // dB'
      if (transB) dB = T(dB);
    }
    let dC: string | null = null;
    if (C && ctx.needsGradient(2)) {
      const gc = beta !== 1 ? ctx.op('Mul', [gs, ctx.constFloat([beta])]) : gs;
      dC = ctx.unbroadcast(gc, ctx.shape(node.outputs[0]!), ctx.shape(C));
    }
    return [dA, dB, dC];
  },
});
