import { defineGradRule } from '../grad-rule.js';

/** y = transpose(x, perm): dx = transpose(dy, perm⁻¹). */
export const transposeGrad = defineGradRule({
  opType: 'Transpose',
  backward(ctx) {
    const rank = ctx.shape(ctx.node.inputs[0]!).length;
    const perm = ctx.node.attrs.ints(
      'perm',
      Array.from({ length: rank }, (_, i) => rank - 1 - i),
    );
    const inv: number[] = Array(rank).fill(0);
    perm.forEach((p, i) => (inv[p] = i));
    return [ctx.op('Transpose', [ctx.gradOutput()!], { perm: inv })];
  },
});
