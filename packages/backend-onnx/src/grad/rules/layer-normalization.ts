import { defineGradRule } from '../grad-rule.js';
import { normalizationBackward } from '../normalization-backward.js';

/**
 * y = x̂·γ + β with x̂ = (x − μ)·r, r = 1/√(σ² + ε), statistics over the axes from `axis` on:
 * dx = r·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) with ĝ = dy·γ (means over the normalised axes).
 * Scale and bias gradients are not computed.
 */
export const layerNormalizationGrad = defineGradRule({
  opType: 'LayerNormalization',
  backward(ctx) {
    const { node } = ctx;
    const [x, scale] = node.inputs as [string, string];
    if (ctx.needsGradient(1) || ctx.needsGradient(2))
      ctx.unsupported('gradients with respect to a computed scale or bias are not supported');
    const xs = ctx.shape(x);
    const rank = xs.length;
    const ax = node.attrs.int('axis', -1);
    const axis = ax < 0 ? ax + rank : ax;
    if (axis === 0) ctx.unsupported('normalising over the batch axis is not supported');
    const axes = Array.from({ length: rank - axis }, (_, i) => axis + i);
    return [normalizationBackward(ctx, x, xs, axes, node.attrs.float('epsilon', 1e-5), scale), null, null];
  },
});
