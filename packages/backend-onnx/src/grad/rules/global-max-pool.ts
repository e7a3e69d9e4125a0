import { defineGradRule } from '../grad-rule.js';

/**
 * y = max over the spatial axes: each (n, c)'s dy goes to the FIRST maximal element (ArgMax over the
 * flattened spatial axes, then ScatterElements), as torch's adaptive_max_pool2d does — a channel of
 * ties (a dead ReLU channel is all zeros) gives one element the gradient, not all of them.
 */
export const globalMaxPoolGrad = defineGradRule({
  opType: 'GlobalMaxPool',
  backward(ctx) {
    const x = ctx.node.inputs[0]!;
    const flat = ctx.op('Reshape', [x, ctx.constInt64([0, 0, -1])]);
    const first = ctx.op('ArgMax', [flat], { axis: 2, keepdims: 1 });
    const g = ctx.op('Reshape', [ctx.gradOutput()!, ctx.constInt64([0, 0, 1])]);
    const zeros = ctx.op('ConstantOfShape', [ctx.op('Shape', [flat])]);
    const dx = ctx.op('ScatterElements', [zeros, first, g], { axis: 2 });
    return [ctx.op('Reshape', [dx, ctx.op('Shape', [x])])];
  },
});
