import { defineGradRule } from '../grad-rule.js';
import { reluBackward } from '../relu-backward.js';

/** y = max(x, 0): dx = dy·[y > 0] (mask from the OUTPUT, which keeps ORT's Conv+ReLU fusion); guided/deconvnet per reluMode. */
export const reluGrad = defineGradRule({
  opType: 'Relu',
  backward(ctx) {
    const g = ctx.gradOutput()!;
    return [reluBackward(ctx, g, () => ctx.op('Greater', [ctx.node.outputs[0]!, ctx.constFloat([0])]))];
  },
});
