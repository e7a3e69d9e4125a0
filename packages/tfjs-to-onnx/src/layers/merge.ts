import { emit, fail, type LayerConverter } from '../layer-context.js';

/** `Add`: Add of two inputs, Sum of more (same shapes, no broadcasting). */
export const addLayer: LayerConverter = (ctx) => {
  const xs = ctx.inputs;
  if (xs.length < 2) fail(ctx, `expected at least two inputs, got ${xs.length}`);
  const r = xs[0]!.shape.length;
  if (xs.some((x) => x.shape.length !== r)) fail(ctx, 'inputs of different ranks are not supported');
  return {
    tensor: emit(
      ctx,
      xs.length === 2 ? 'Add' : 'Sum',
      xs.map((x) => x.tensor),
      {},
      true,
    ),
    shape: xs[0]!.shape,
  };
};

/** tfjs axis of a rank-`r` tensor → axis of the ONNX tensor (NHWC axes 1, 2, 3 → NCHW 2, 3, 1). */
export function onnxAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  return rank === 4 ? [0, 2, 3, 1][a]! : a;
}

/** `Concatenate` along the tfjs axis (default −1: channels, ONNX axis 1 for images). */
export const concatenateLayer: LayerConverter = (ctx) => {
  const xs = ctx.inputs;
  if (xs.length < 2) fail(ctx, `expected at least two inputs, got ${xs.length}`);
  const rank = xs[0]!.shape.length;
  if (rank !== 2 && rank !== 4) fail(ctx, `rank-${rank} inputs are not supported`);
  const axis = ctx.layer.config.axis ?? -1;
  if (typeof axis !== 'number' || axis < -rank || axis >= rank)
    return fail(ctx, `cannot read axis=${JSON.stringify(axis)}`);
  const a = axis < 0 ? axis + rank : axis;
  if (a === 0) fail(ctx, 'concatenating along the batch axis is not supported');
  const shape = [...xs[0]!.shape];
  shape[a] = xs.reduce<number | null>((s, x) => (s === null || x.shape[a] == null ? null : s + x.shape[a]!), 0);
  return {
    tensor: emit(
      ctx,
      'Concat',
      xs.map((x) => x.tensor),
      { axis: onnxAxis(a, rank) },
      true,
    ),
    shape,
  };
};
