import type { GradContext } from '../grad-rule.js';
import { defineGradRule } from '../grad-rule.js';

/**
 * y = x[starts:ends] with steps of 1 along non-batch axes: dx = dy zero-padded back to x's shape.
 * Constant bounds give constant pads; computed bounds (e.g. torch's `chunk` on a dynamic shape) are
 * normalised and clamped with int64 ops at run time.
 */
export const sliceGrad = defineGradRule({
  opType: 'Slice',
  backward(ctx) {
    const { node } = ctx;
    const xs = ctx.shape(node.inputs[0]!);
    const rank = xs.length;
    const constant = (i: number): number[] | null => {
      const t = node.inputs[i];
      const c = t ? ctx.constant(t) : null;
      return c ? Array.from(c.values) : null;
    };
    if (ctx.opset < 10) return ctx.unsupported('Slice before opset 10 is not supported');
    const n = ctx.shape(node.inputs[1]!)[0] ?? 1;
    const axes = (node.inputs[3] ? constant(3) : Array.from({ length: n }, (_, i) => i))?.map((a) =>
      a < 0 ? a + rank : a,
    );
    if (!axes) return ctx.unsupported('Slice axes must be constants');
    if (axes.includes(0)) return ctx.unsupported('slicing the batch axis is not supported');
    const steps = node.inputs[4] ? constant(4) : axes.map(() => 1);
    if (!steps || steps.some((s) => s !== 1)) return ctx.unsupported('only constant steps of 1 are supported');
    const starts = constant(1);
    const ends = constant(2);
    const g = ctx.gradOutput()!;
    const pads = starts && ends ? staticPads(xs, axes, starts, ends) : dynamicPads(ctx, axes, rank);
    return [ctx.op('Pad', [g, pads]), null, null, null, null];

    function staticPads(shape: readonly number[], ax: number[], st: number[], en: number[]): string {
      const p: number[] = Array(2 * rank).fill(0);
      ax.forEach((a, i) => {
        const d = shape[a]!;
        const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + d : v, 0), d);
        const s = clamp(st[i]!);
        const e = Math.max(clamp(en[i]!), s);
        p[a] = s;
        p[a + rank] = d - e;
      });
      return ctx.constInt64(p);
    }
  },
});

/** Pads [s…, D−e…] for computed starts/ends, as int64 ops: normalise negatives, clamp to [0, D]. */
function dynamicPads(ctx: GradContext, axes: number[], rank: number): string {
  const { node } = ctx;
  const D = ctx.op('Gather', [ctx.op('Shape', [node.inputs[0]!]), ctx.constInt64(axes)], { axis: 0 });
  const zero = ctx.constInt64([0], []);
  const norm = (v: string) => {
    const w = ctx.op('Where', [ctx.op('Less', [v, zero]), ctx.op('Add', [v, D]), v]);
    return ctx.op('Max', [ctx.op('Min', [w, D]), zero]);
  };
  const s = norm(node.inputs[1]!);
  const e = ctx.op('Max', [norm(node.inputs[2]!), s]);
  const positions = ctx.constInt64([...axes, ...axes.map((a) => a + rank)]);
  const values = ctx.op('Concat', [s, ctx.op('Sub', [D, e])], { axis: 0 });
  return ctx.op('ScatterElements', [ctx.constInt64(Array(2 * rank).fill(0)), positions, values], { axis: 0 });
}
