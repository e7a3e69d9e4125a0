import {
  emit,
  fail,
  pair,
  paddingOf,
  requireChannelsLast,
  requireWeight,
  single,
  type LayerContext,
  type LayerConverter,
} from '../layer-context.js';
import { windowAttrs, windowOutput } from '../window.js';
import { activationName, applyActivation, effectiveActivation } from './activation.js';

/** tfjs Conv2D kernel [kh, kw, in, out] → ONNX Conv weight [out, in, kh, kw]. */
export function convKernelToOnnx(k: Float32Array, [kh, kw, ci, co]: readonly number[]): Float32Array {
  const out = new Float32Array(k.length);
  for (let y = 0; y < kh!; y++)
    for (let x = 0; x < kw!; x++)
      for (let i = 0; i < ci!; i++)
        for (let o = 0; o < co!; o++) {
          out[((o * ci! + i) * kh! + y) * kw! + x] = k[((y * kw! + x) * ci! + i) * co! + o]!;
        }
  return out;
}

/** tfjs DepthwiseConv2D kernel [kh, kw, in, mult] → ONNX grouped Conv weight [in·mult, 1, kh, kw]. */
export function depthwiseKernelToOnnx(k: Float32Array, [kh, kw, ci, m]: readonly number[]): Float32Array {
  const out = new Float32Array(k.length);
  for (let y = 0; y < kh!; y++)
    for (let x = 0; x < kw!; x++)
      for (let c = 0; c < ci!; c++)
        for (let j = 0; j < m!; j++) {
          out[((c * m! + j) * kh! + y) * kw! + x] = k[((y * kw! + x) * ci! + c) * m! + j]!;
        }
  return out;
}

/** Conv (+ bias) and the fused activation; the activation's output (or the Conv's) takes the layer name. */
function convolve(
  ctx: LayerContext,
  kind: 'conv' | 'depthwise',
): { tensor: string; shape: (number | null)[]; droppedActivation?: string } {
  requireChannelsLast(ctx);
  const x = single(ctx);
  if (x.shape.length !== 4) fail(ctx, `expected an NHWC input, got rank ${x.shape.length}`);
  const [n, h, w, c] = x.shape as [number | null, number | null, number | null, number | null];
  const strides = pair(ctx, 'strides', [1, 1]);
  const dilations = pair(ctx, 'dilation_rate', [1, 1]);
  const padding = paddingOf(ctx);
  if ((ctx.layer.config.groups ?? 1) !== 1) fail(ctx, 'grouped convolutions (groups ≠ 1) are not supported');
  const k = requireWeight(ctx, kind === 'conv' ? 'kernel' : 'depthwise_kernel');
  if (k.shape.length !== 4 || (c !== null && k.shape[2] !== c))
    fail(ctx, `kernel shape [${k.shape.join(', ')}] does not fit input channels ${c}`);
  const [kh, kw, ci, co] = k.shape as [number, number, number, number];
  const outChannels = kind === 'conv' ? co : ci * co;
  const weight =
    kind === 'conv'
      ? ctx.graph.float(k.name, { dims: [co, ci, kh, kw], values: convKernelToOnnx(k.values, k.shape) })
      : ctx.graph.float(k.name, { dims: [ci * co, 1, kh, kw], values: depthwiseKernelToOnnx(k.values, k.shape) });
  const inputs = [x.tensor, weight];
  if (ctx.layer.config.use_bias !== false) {
    const b = requireWeight(ctx, 'bias');
    inputs.push(ctx.graph.float(b.name, { dims: [outChannels], values: b.values }));
  }
  const act = effectiveActivation(ctx, activationName(ctx));
  const attrs = {
    kernel_shape: [kh, kw],
    strides,
    dilations,
    group: kind === 'conv' ? 1 : ci,
    ...windowAttrs(padding, h, w, [kh, kw], strides, dilations),
  };
  const y = emit(ctx, 'Conv', inputs, attrs, act.name === 'linear');
  const out = applyActivation(ctx, y, act.name, true);
  const shape = [
    n,
    windowOutput(padding, h, kh, strides[0], dilations[0]),
    windowOutput(padding, w, kw, strides[1], dilations[1]),
    outChannels,
  ];
  return { tensor: out, shape, ...(act.dropped ? { droppedActivation: act.dropped } : {}) };
}

/** `Conv2D`: Conv with explicit TensorFlow `same`/`valid` pads, dilation, bias and fused activation. */
export const conv2dLayer: LayerConverter = (ctx) => convolve(ctx, 'conv');

/** `DepthwiseConv2D`: Conv with group = input channels (depth multiplier supported). */
export const depthwiseConv2dLayer: LayerConverter = (ctx) => convolve(ctx, 'depthwise');
