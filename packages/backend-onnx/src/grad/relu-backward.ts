import type { GradContext } from './grad-rule.js';

/**
 * The backward of a ReLU-like unit whose pass-through region is `mask` (a bool tensor), following
 * `ctx.reluMode`: standard `g·mask`, guided `g·mask·[g>0]`, deconvnet `relu(g)` (mask ignored).
 * Pass the mask as a function to emit it only when the mode reads it (onnxruntime runs an unused
 * node anyway, and reading a ReLU's output in NCHW costs a layout reorder).
 * (On onnxruntime-node the builder rewrites `Where(mask, g, 0)` into `g·Cast(mask)`, which is faster
 * there and up to 2× slower on onnxruntime-web: see `BackwardRequest.maskByMultiply`.)
 */
export function reluBackward(ctx: GradContext, g: string, mask: string | (() => string)): string {
  if (ctx.reluMode === 'deconvnet') return ctx.op('Relu', [g]);
  const gin = ctx.reluMode === 'guided' ? ctx.op('Relu', [g]) : g;
  return ctx.op('Where', [typeof mask === 'function' ? mask() : mask, gin, ctx.constFloat([0])]);
}
