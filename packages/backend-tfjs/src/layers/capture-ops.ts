import * as tf from '@tensorflow/tfjs';
import { customGrad1 } from '../grad/custom-grad.js';
import { convInputGrad, type ConvKind } from '../grad/conv-input-grad.js';
import type { KernelFlipCache } from '../grad/kernel-flip-cache.js';
import { modeFor, reluWithMode, type ReluModes } from '../grad/relu-modes.js';
import type { LayerLike } from './tfjs-internals.js';

export interface CaptureOpsContext {
  readonly mode: ReluModes;
  /** `relu`: only plain ReLUs follow `mode` (ReLU6 / capped ReLU layers stay standard). */
  readonly rectifiers?: 'all' | 'relu';
  readonly flips: KernelFlipCache;
  /** Called with each bias-adding layer's output before its activation (and the bias); may wrap it. */
  readonly onBias?: (layer: LayerLike, pre: tf.Tensor, bias: tf.Tensor) => tf.Tensor;
}

/** Applies a layer's activation; ReLU and ReLU6 follow `mode`, `linear` skips it. */
export function applyActivation(
  layer: LayerLike,
  y: tf.Tensor,
  mode: ReluModes | null,
  linear = false,
  rectifiers: 'all' | 'relu' = 'all',
): tf.Tensor {
  const a = layer.activation;
  const name = a?.getClassName();
  if (!a || linear || name === 'linear') return y;
  if (mode && name === 'relu') return reluWithMode(y, mode);
  if (mode && name === 'relu6') return reluWithMode(y, modeFor(mode, true, rectifiers), 6);
  return a.apply(y);
}

/** conv(x, w) (NHWC) whose gradient is taken w.r.t. x only, by a forward conv of dy. */
function convInputOnly(x: tf.Tensor4D, layer: LayerLike, kind: ConvKind, flips: KernelFlipCache): tf.Tensor4D {
  const w = (kind === 'conv' ? layer.kernel! : layer.depthwiseKernel!).read() as tf.Tensor4D;
  const attrs = { strides: layer.strides!, pad: layer.padding as 'same' | 'valid', dilations: layer.dilationRate ?? 1 };
  const f = customGrad1((xx: tf.Tensor) => ({
    value:
      kind === 'conv'
        ? tf.conv2d(
            xx as tf.Tensor4D,
            w,
            attrs.strides as [number, number],
            attrs.pad,
            'NHWC',
            attrs.dilations as [number, number],
          )
        : tf.depthwiseConv2d(
            xx as tf.Tensor4D,
            w,
            attrs.strides as [number, number],
            attrs.pad,
            'NHWC',
            attrs.dilations as [number, number],
          ),
    gradFunc: (dy) => convInputGrad(dy as tf.Tensor4D, x.shape, w, kind, attrs, flips.source(w)),
  }));
  return f(x) as tf.Tensor4D;
}

/**
 * Capture-mode versions of the layers whose stock tfjs gradients are wrong for us or break on
 * wasm, all in inference mode:
 * - Conv2D / DepthwiseConv2D (channels-last, no causal padding): unfused conv with an input-only
 *   gradient (filter gradients are never computed: tfjs-wasm has no kernel for them);
 * - Dense (2-D input): unfused matMul + bias (the fused op computes weight gradients eagerly);
 * - BatchNormalization over the last axis: `x·k + b` with `k = γ/√(var+ε)`, `b = β − mean·k`;
 * - ReLU layers, `Activation('relu'|'relu6')` and fused ReLU activations: the `mode` rule.
 * Returns null for any other layer (the caller applies it unchanged). `linear` drops the layer's
 * own activation (used to bypass a final softmax).
 */
export function applyCaptureLayer(
  layer: LayerLike,
  x: tf.Tensor,
  ctx: CaptureOpsContext,
  linear = false,
): tf.Tensor | null {
  const type = layer.getClassName();
  const channelsLast = layer.dataFormat === undefined || layer.dataFormat === 'channelsLast';
  if (
    (type === 'Conv2D' || type === 'DepthwiseConv2D') &&
    channelsLast &&
    x.rank === 4 &&
    (layer.padding === 'same' || layer.padding === 'valid')
  ) {
    let y: tf.Tensor = convInputOnly(x as tf.Tensor4D, layer, type === 'Conv2D' ? 'conv' : 'depthwise', ctx.flips);
    if (layer.bias) {
      const b = layer.bias.read();
      y = tf.add(y, b);
      if (ctx.onBias) y = ctx.onBias(layer, y, b);
    }
    return applyActivation(layer, y, ctx.mode, linear, ctx.rectifiers);
  }
  if (type === 'Dense' && x.rank === 2) {
    let y: tf.Tensor = tf.matMul(x as tf.Tensor2D, layer.kernel!.read() as tf.Tensor2D);
    if (layer.bias) y = tf.add(y, layer.bias.read());
    return applyActivation(layer, y, ctx.mode, linear, ctx.rectifiers);
  }
  if (type === 'BatchNormalization' && (layer.axis === -1 || layer.axis === x.rank - 1)) {
    let k = tf.rsqrt(tf.add(layer.movingVariance!.read(), layer.epsilon ?? 1e-3));
    if (layer.gamma) k = tf.mul(k, layer.gamma.read());
    let b = tf.neg(tf.mul(layer.movingMean!.read(), k));
    if (layer.beta) b = tf.add(b, layer.beta.read());
    const y = tf.add(tf.mul(x, k), b);
    return ctx.onBias ? ctx.onBias(layer, y, b) : y;
  }
  if (type === 'ReLU') {
    const max = layer.maxValue ?? null;
    return reluWithMode(x, modeFor(ctx.mode, max != null, ctx.rectifiers), max);
  }
  if (type === 'Activation') {
    const name = layer.activation?.getClassName();
    if (name === 'relu' || name === 'relu6') return applyActivation(layer, x, ctx.mode, false, ctx.rectifiers);
  }
  return null;
}

/** Inference application of a layer whose activation is dropped (a bypassed final softmax). */
export function applyLinear(layer: LayerLike, x: tf.Tensor): tf.Tensor {
  const type = layer.getClassName();
  if (type === 'Dense' && x.rank === 2) {
    let y: tf.Tensor = tf.matMul(x as tf.Tensor2D, layer.kernel!.read() as tf.Tensor2D);
    if (layer.bias) y = tf.add(y, layer.bias.read());
    return y;
  }
  throw new TypeError(`cannot drop the activation of a ${type} layer`);
}
