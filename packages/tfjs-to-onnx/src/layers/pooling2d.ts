import {
  emit,
  fail,
  pair,
  paddingOf,
  requireChannelsLast,
  single,
  type LayerContext,
  type LayerConverter,
} from '../layer-context.js';
import { windowAttrs, windowOutput } from '../window.js';

/**
 * Max/average pooling with TensorFlow's `same`/`valid` windows. Padded cells never count: MaxPool
 * ignores them and AveragePool divides by the cells inside the image (`count_include_pad = 0`),
 * as TensorFlow does.
 */
function pool(ctx: LayerContext, op: 'MaxPool' | 'AveragePool') {
  requireChannelsLast(ctx);
  const x = single(ctx);
  if (x.shape.length !== 4) fail(ctx, `expected an NHWC input, got rank ${x.shape.length}`);
  const [n = null, h = null, w = null, c = null] = x.shape;
  const k = pair(ctx, 'pool_size', [2, 2]);
  const strides = ctx.layer.config.strides == null ? k : pair(ctx, 'strides', k);
  const padding = paddingOf(ctx);
  const attrs = {
    kernel_shape: k,
    strides,
    ...windowAttrs(padding, h, w, k, strides),
    ...(op === 'AveragePool' ? { count_include_pad: 0 } : {}),
  };
  const shape = [n, windowOutput(padding, h, k[0], strides[0]), windowOutput(padding, w, k[1], strides[1]), c];
  return { tensor: emit(ctx, op, [x.tensor], attrs, true), shape };
}

/** `MaxPooling2D`. */
export const maxPooling2dLayer: LayerConverter = (ctx) => pool(ctx, 'MaxPool');

/** `AveragePooling2D`. */
export const averagePooling2dLayer: LayerConverter = (ctx) => pool(ctx, 'AveragePool');

/**
 * `GlobalAveragePooling2D` / `GlobalMaxPooling2D`: GlobalAveragePool/GlobalMaxPool, then Flatten to
 * `[N, C]` (the tfjs output; the Flatten takes the layer name). With `keepdims` the pooled `[N, C, 1, 1]`
 * tensor is the output.
 */
function globalPool(ctx: LayerContext, op: 'GlobalAveragePool' | 'GlobalMaxPool') {
  requireChannelsLast(ctx);
  const x = single(ctx);
  if (x.shape.length !== 4) fail(ctx, `expected an NHWC input, got rank ${x.shape.length}`);
  const [n = null, , , c = null] = x.shape;
  if (ctx.layer.config.keepdims === true) return { tensor: emit(ctx, op, [x.tensor], {}, true), shape: [n, 1, 1, c] };
  const p = emit(ctx, op, [x.tensor], {}, false);
  return { tensor: emit(ctx, 'Flatten', [p], { axis: 1 }, true), shape: [n, c] };
}

export const globalAveragePooling2dLayer: LayerConverter = (ctx) => globalPool(ctx, 'GlobalAveragePool');
export const globalMaxPooling2dLayer: LayerConverter = (ctx) => globalPool(ctx, 'GlobalMaxPool');
