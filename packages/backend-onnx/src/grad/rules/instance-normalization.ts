import { defineGradRule } from '../grad-rule.js';
import { normalizationBackward } from '../normalization-backward.js';

/**
 * y = γ_c·x̂ + β_c, statistics per image and channel over the spatial axes: LayerNormalization's
 * backward (`normalizationBackward`) on those axes with γ broadcast as [C, 1, …]. Scale and bias
 * get no gradient.
 */
export const instanceNormalizationGrad = defineGradRule({
  opType: 'InstanceNormalization',
  backward(ctx) {
    const { node } = ctx;
    const [x, scale] = node.inputs as [string, string];
    if (ctx.needsGradient(1) || ctx.needsGradient(2))
      ctx.unsupported('gradients with respect to a computed scale or bias are not supported');
    const xs = ctx.shape(x);
    const axes = Array.from({ length: xs.length - 2 }, (_, i) => i + 2);
    if (!axes.length) ctx.unsupported('InstanceNormalization needs at least one spatial axis');
    const gamma = ctx.unsqueeze(
      scale,
      axes.map((a) => a - 1),
    ); // [C] → [C, 1, …]
    return [normalizationBackward(ctx, x, xs, axes, node.attrs.float('epsilon', 1e-5), gamma), null, null];
  },
});
