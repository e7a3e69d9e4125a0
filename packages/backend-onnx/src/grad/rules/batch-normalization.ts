import { defineGradRule } from '../grad-rule.js';

/** Inference BatchNormalization y = (x − μ)·γ/√(σ² + ε) + β: dx = dy·γ/√(σ² + ε) per channel. */
export const batchNormalizationGrad = defineGradRule({
  opType: 'BatchNormalization',
  backward(ctx) {
    const { node } = ctx;
    if (node.attrs.int('training_mode', 0))
      ctx.unsupported('training_mode=1 is not supported; export the model in eval mode');
    const scale = ctx.constant(node.inputs[1]!);
    const variance = ctx.constant(node.inputs[4]!);
    if (!scale || !variance) return ctx.unsupported('scale and variance must be constants');
    const eps = node.attrs.float('epsilon', 1e-5);
    const k = Array.from(scale.values, (s, i) => s / Math.sqrt(variance.values[i]! + eps));
    const rank = ctx.shape(node.inputs[0]!).length;
    const dims = [1, k.length, ...Array(Math.max(rank - 2, 0)).fill(1)];
    return [ctx.op('Mul', [ctx.gradOutput()!, ctx.constFloat(k, dims)])];
  },
});
