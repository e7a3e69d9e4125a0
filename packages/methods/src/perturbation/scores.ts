import {
  attributionMagnitude,
  modelOutputShape,
  outputSize,
  resolveTarget,
  type ExplainContext,
  type ResolvedTarget,
  type Target,
  type Tensor,
} from '@gradscope/core';

/** The target's score on each image of `[N, K]` (or `[N, K, H, W]`) logits (the class must already be fixed). */
export function scoresOf(logits: Tensor, target: Target): Float32Array {
  const N = logits.shape[0]!;
  const K = logits.data.length / N;
  const out = new Float32Array(N);
  for (let i = 0; i < N; i++) out[i] = resolveTarget(target, logits.data.subarray(i * K, (i + 1) * K)).score;
  return out;
}

/** `t` with its class fixed to the one resolved on the unmodified input (seed targets stay as they are). */
export function fixedTarget(t: Target, r: ResolvedTarget): Target {
  switch (t.kind) {
    case 'seed':
    case 'similarity':
      return t;
    case 'binary': // the decision taken on the unmodified input (the seed carries the negation too)
      return t.positive !== undefined ? t : { ...t, positive: r.seed[0]! > 0 !== !!t.negate };
    default:
      return r.classIndex === null ? t : { ...t, index: r.classIndex };
  }
}

/** One forward of the context's input: its resolved target and the target with the class fixed. */
export async function resolveOnInput(ctx: ExplainContext): Promise<{ resolved: ResolvedTarget; fixed: Target }> {
  const y = await ctx.model.forward(ctx.input);
  const shape = modelOutputShape(ctx.model);
  const resolved = resolveTarget(ctx.target, y.data.subarray(0, outputSize(ctx.model)), shape);
  return { resolved, fixed: fixedTarget(ctx.target, resolved) };
}

/** Height, width and channels of the model input, and the strides of a pixel and a channel in its layout. */
export function inputGeometry(ctx: ExplainContext): { H: number; W: number; C: number; pix: number; ch: number } {
  const { height: H, width: W, channels: C, layout } = ctx.model.input;
  return layout === 'NCHW' ? { H, W, C, pix: 1, ch: H * W } : { H, W, C, pix: C, ch: 1 };
}

/** A per-pixel `[H·W]` attribution broadcast over channels into the input's layout `[1, …]`. */
export function perPixelRaw(ctx: ExplainContext, px: Float32Array): Tensor {
  const { H, W, C, pix, ch } = inputGeometry(ctx);
  const out = new Float32Array(C * H * W);
  for (let c = 0; c < C; c++) for (let i = 0; i < H * W; i++) out[c * ch + i * pix] = px[i]!;
  return { data: out, shape: [...ctx.input.shape] };
}

/** An input-space result: `raw` in the input layout, `map` its per-pixel channel magnitude. */
export function inputResult(ctx: ExplainContext, raw: Tensor, target: ResolvedTarget) {
  return { map: attributionMagnitude(raw, ctx.model.input.layout), raw, target };
}
