import { emit, fail, requireChannelsLast, single, type LayerConverter } from '../layer-context.js';

/**
 * `Flatten` in tfjs order: an NHWC feature map flattens as (h, w, c), so the NCHW tensor is first
 * transposed to NHWC; a rank-2 input passes through (Identity).
 */
export const flattenLayer: LayerConverter = (ctx) => {
  requireChannelsLast(ctx);
  const x = single(ctx);
  const s = x.shape;
  if (s.length === 2) return { tensor: emit(ctx, 'Identity', [x.tensor], {}, true), shape: s };
  if (s.length !== 4) return fail(ctx, `rank-${s.length} inputs are not supported`);
  const t = emit(ctx, 'Transpose', [x.tensor], { perm: [0, 2, 3, 1] }, false);
  const features = s.slice(1).every((d) => d !== null) ? s[1]! * s[2]! * s[3]! : null;
  return { tensor: emit(ctx, 'Flatten', [t], { axis: 1 }, true), shape: [s[0]!, features] };
};
