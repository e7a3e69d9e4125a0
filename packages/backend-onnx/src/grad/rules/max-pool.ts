import { defineGradRule } from '../grad-rule.js';

/**
 * y = maxpool(x): each window's dy goes to its FIRST maximal element (like torch and ORT), read from
 * MaxPool's Indices output and accumulated with ScatterElements(reduction='add') — exact for
 * overlapping windows and ceil mode. Needs opset 16 (the builder upgrades the model when it can).
 */
export const maxPoolGrad = defineGradRule({
  opType: 'MaxPool',
  minOpset: 16,
  backward(ctx) {
    if (ctx.node.attrs.int('storage_order', 0) !== 0) ctx.unsupported('storage_order=1 is not supported');
    const x = ctx.node.inputs[0]!;
    const idx = ctx.forwardOutput(1);
    const flat = ctx.constInt64([-1]);
    const xshape = ctx.op('Shape', [x]);
    const zeros = ctx.op('ConstantOfShape', [ctx.op('ReduceProd', [xshape], { keepdims: 1 })]);
    const sc = ctx.op(
      'ScatterElements',
      [zeros, ctx.op('Reshape', [idx, flat]), ctx.op('Reshape', [ctx.gradOutput()!, flat])],
      { axis: 0, reduction: 'add' },
    );
    return [ctx.op('Reshape', [sc, xshape])];
  },
});
