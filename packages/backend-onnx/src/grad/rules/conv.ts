import { defineGradRule } from '../grad-rule.js';
import { convTransposeBack, windowGeometry } from '../conv-transpose-back.js';
import { convInputGradient } from '../conv-input-gradient.js';
import { convPolyphaseGradient } from '../conv-polyphase.js';

/** At most this many input channels: an image. */
const STEM_CHANNELS = 4;

/**
 * y = conv(x, W) (any groups, strides, pads, dilations, auto_pad): dx as an ordinary Conv of dy
 * with a weight transformed once at build time when W is a constant (`convInputGradient`); a
 * strided conv over an image (a stem) as one polyphase Conv + DepthToSpace (`convPolyphaseGradient`);
 * else ConvTranspose(dy, W) with the same weight, cropped/padded to x's size. Weight and bias gradients
 * are not computed.
 */
export const convGrad = defineGradRule({
  opType: 'Conv',
  backward(ctx) {
    const [x, w, b] = ctx.node.inputs;
    if (ctx.needsGradient(1) || (b && ctx.needsGradient(2)))
      ctx.unsupported('gradients with respect to a computed (non-constant) weight or bias are not supported');
    const xs = ctx.shape(x!);
    const ys = ctx.shape(ctx.node.outputs[0]!);
    const kernel = ctx.node.attrs.ints('kernel_shape', ctx.shape(w!).slice(2));
    const geo = windowGeometry(ctx, kernel, xs, ys);
    const g = ctx.gradOutput()!;
    return [
      convInputGradient(ctx, g, w!, geo, xs, ys) ??
        (xs[1]! <= STEM_CHANNELS ? convPolyphaseGradient(ctx, g, w!, geo, xs, ys) : null) ??
        convTransposeBack(ctx, g, w!, geo, xs, ys),
    ];
  },
});
