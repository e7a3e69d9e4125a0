import { defineGradRule } from '../grad-rule.js';

/**
 * y = x (x > 0), slope·x otherwise (slope broadcast, e.g. [C, 1, 1]): dx = dy·(x > 0 ? 1 : slope),
 * torch's rule (slope at x = 0). The mask is read from the input: with a negative slope the output's
 * sign says nothing. Not a ReLU for guided backprop / deconvnet. The slope gets no gradient.
 */
export const preluGrad = defineGradRule({
  opType: 'PRelu',
  backward(ctx) {
    const [x, slope] = ctx.node.inputs as [string, string];
    if (ctx.needsGradient(1)) ctx.unsupported('gradients with respect to a computed slope are not supported');
    const g = ctx.gradOutput()!;
    const pos = ctx.op('Greater', [x, ctx.constFloat([0])]);
    return [
      ctx.unbroadcast(
        ctx.op('Where', [pos, g, ctx.op('Mul', [g, slope])]),
        ctx.shape(ctx.node.outputs[0]!),
        ctx.shape(x),
      ),
      null,
    ];
  },
});
