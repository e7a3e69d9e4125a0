import type { GradContext } from './grad-rule.js';

/** The gradient of any reshape-like op: dy reshaped to x's run-time shape. */
export function reshapeBack(ctx: GradContext): (string | null)[] {
  const x = ctx.node.inputs[0]!;
  return [ctx.op('Reshape', [ctx.gradOutput()!, ctx.op('Shape', [x])]), ...ctx.node.inputs.slice(1).map(() => null)];
}
