import * as tf from '@tensorflow/tfjs';
import { convInputGrad, type ConvAttrs } from './conv-input-grad.js';
import { maxFirstMaxGrad } from './max-first-max.js';
import { maxPoolFirstMaxGrad, type PoolAttrs } from './max-pool-first-max.js';
import { modeFor, reluBackward, type ReluModes } from './relu-modes.js';

type GradFunc = (
  dy: tf.Tensor | tf.Tensor[],
  saved: tf.Tensor[],
  attrs: Record<string, unknown>,
) => Record<string, () => tf.Tensor>;
type Override = (orig: GradFunc) => GradFunc;

const reluRule =
  (mode: ReluModes, max: number | null): Override =>
  () =>
  (dy, saved) => ({
    x: () => reluBackward(dy as tf.Tensor, saved[0]!, mode, max),
  });

const maxPoolRule: Override = () => (dy, saved, attrs) => ({
  x: () =>
    maxPoolFirstMaxGrad(
      dy as tf.Tensor4D,
      saved[0] as tf.Tensor4D,
      saved[1] as tf.Tensor4D,
      attrs as unknown as PoolAttrs,
    ),
});

const maxRule: Override = () => (dy, saved, attrs) => ({
  x: () => {
    const x = saved[0]!;
    const axes = tf.util.parseAxisParam(attrs['reductionIndices'] as number | number[], x.shape);
    return maxFirstMaxGrad(dy as tf.Tensor, x, axes);
  },
});

const convRule =
  (kind: 'conv' | 'depthwise'): Override =>
  (orig) =>
  (dy, saved, attrs) => {
    const o = orig(dy, saved, attrs);
    if (attrs['dataFormat'] !== undefined && attrs['dataFormat'] !== 'NHWC') return o;
    const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
    return {
      ...o,
      x: () => convInputGrad(dy as tf.Tensor4D, x.shape, filter, kind, attrs as unknown as ConvAttrs),
    };
  };

/**
 * Runs `fn` (synchronously) with tfjs's registered gradients of these kernels replaced, and puts
 * the originals back in LIFO order afterwards, also when `fn` throws:
 * - `Relu`, `Relu6`: the `mode` rule ({@link reluBackward}); covers ReLUs fused into layers; with
 *   `rectifiers: 'relu'`, `Relu6` keeps the standard rule;
 * - `MaxPool`: first-max routing ({@link maxPoolFirstMaxGrad}) on every backend;
 * - `Max` (GlobalMaxPooling2D, any max reduction): first-max routing (`maxFirstMaxGrad`);
 * - `Conv2D`, `DepthwiseConv2dNative`: input gradient by a forward conv ({@link convInputGrad}), so
 *   tfjs-wasm's missing/slow backprop-input kernels are never called.
 * tfjs looks the gradient up when it records an op on the tape, so the whole tape (forward and
 * backward) must run inside `fn`. `mode` may give one mode per row block (see {@link ReluModes}).
 */
export function withGradientOverrides<T>(mode: ReluModes, rectifiers: 'all' | 'relu', fn: () => T): T {
  const undo: (() => void)[] = [];
  const install = (kernel: string, rule: Override) => {
    const cfg = tf.getGradient(kernel) as unknown as { gradFunc: GradFunc } | undefined;
    if (!cfg) return;
    const orig = cfg.gradFunc;
    cfg.gradFunc = rule(orig);
    undo.push(() => {
      cfg.gradFunc = orig;
    });
  };
  try {
    install('Relu', reluRule(mode, null));
    install('Relu6', reluRule(modeFor(mode, true, rectifiers), 6));
    install('MaxPool', maxPoolRule);
    install('Max', maxRule);
    install('Conv2D', convRule('conv'));
    install('DepthwiseConv2dNative', convRule('depthwise'));
    const r = fn();
    if (r instanceof Promise) throw new TypeError('withGradientOverrides: fn must be synchronous');
    return r;
  } finally {
    while (undo.length) undo.pop()!();
  }
}
