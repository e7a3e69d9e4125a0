import { defineGradRule, type GradContext } from '../grad-rule.js';

/**
 * y = max(a, b) or min(a, b) (two inputs, broadcasting): dy goes to the input that wins, half to
 * each on a tie — torch's rule for `torch.max(a, b)` / `maximum` (which export as Max / Min).
 */
function binaryExtremum(opType: 'Max' | 'Min', wins: 'Greater' | 'Less') {
  return defineGradRule({
    opType,
    backward(ctx: GradContext) {
      const ins = ctx.node.inputs;
      if (ins.length === 1) return [ctx.gradOutput()];
      if (ins.length !== 2) ctx.unsupported(`${opType} with ${ins.length} inputs is not supported (two at most)`);
      const [a, b] = ins as [string, string];
      const g = ctx.gradOutput()!;
      const ys = ctx.shape(ctx.node.outputs[0]!);
      const half = ctx.op('Mul', [ctx.op('Cast', [ctx.op('Equal', [a, b])], { to: 1 }), ctx.constFloat([0.5])]);
      const share = (x: string, other: string) => {
        const won = ctx.op('Add', [ctx.op('Cast', [ctx.op(wins, [x, other])], { to: 1 }), half]);
        return ctx.unbroadcast(ctx.op('Mul', [g, won]), ys, ctx.shape(x));
      };
      return [ctx.needsGradient(0) ? share(a, b) : null, ctx.needsGradient(1) ? share(b, a) : null];
    },
  });
}

export const maxGrad = binaryExtremum('Max', 'Greater');
export const minGrad = binaryExtremum('Min', 'Less');
