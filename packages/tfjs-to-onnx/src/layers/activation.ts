import { emit, fail, single, type LayerContext, type LayerConverter, type LayerResult } from '../layer-context.js';

/** Activations that turn logits into probabilities: dropped at the model's output by default. */
export const PROBABILITY_ACTIVATIONS: ReadonlySet<string> = new Set(['softmax', 'sigmoid']);

/** tfjs's activation name from a config (a string, or `{ class_name }` in some Keras files). */
export function activationName(ctx: LayerContext): string {
  const a = ctx.layer.config.activation ?? 'linear';
  if (typeof a === 'string') return a;
  if (typeof a === 'object' && a !== null && typeof (a as { class_name?: unknown }).class_name === 'string') {
    return (a as { class_name: string }).class_name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  }
  return fail(ctx, `cannot read activation ${JSON.stringify(a)}`);
}

/** The activation to apply, or `linear` when it is a final softmax/sigmoid that gets dropped. */
export function effectiveActivation(ctx: LayerContext, name: string): { name: string; dropped?: string } {
  if (ctx.isOutput && ctx.dropFinalActivation && PROBABILITY_ACTIVATIONS.has(name))
    return { name: 'linear', dropped: name };
  return { name };
}

/**
 * Appends tfjs activation `name` to tensor `x` (rank 2, or rank 4 stored NCHW): relu → Relu,
 * relu6 → Clip(0, 6), sigmoid, tanh, softmax over channels (axis 1), hard_sigmoid →
 * HardSigmoid(0.2, 0.5) (tfjs's definition), linear → nothing.
 */
export function applyActivation(ctx: LayerContext, x: string, name: string, final: boolean): string {
  switch (name) {
    case 'linear':
      return x;
    case 'relu':
      return emit(ctx, 'Relu', [x], {}, final);
    case 'relu6':
      return emit(
        ctx,
        'Clip',
        [x, ctx.graph.scalar(`${ctx.layer.name}/min`, 0), ctx.graph.scalar(`${ctx.layer.name}/max`, 6)],
        {},
        final,
      );
    case 'sigmoid':
      return emit(ctx, 'Sigmoid', [x], {}, final);
    case 'tanh':
      return emit(ctx, 'Tanh', [x], {}, final);
    case 'softmax':
      return emit(ctx, 'Softmax', [x], { axis: 1 }, final);
    case 'hard_sigmoid':
      return emit(ctx, 'HardSigmoid', [x], { alpha: { float: 0.2 }, beta: { float: 0.5 } }, final);
    default:
      return fail(
        ctx,
        `activation '${name}' is not supported (linear, relu, relu6, sigmoid, tanh, softmax, hard_sigmoid are)`,
      );
  }
}

/** `Activation` layer; a final softmax/sigmoid is left out (the output is then its input). */
export const activationLayer: LayerConverter = (ctx): LayerResult => {
  const x = single(ctx);
  if (x.shape.length !== 2 && x.shape.length !== 4) fail(ctx, `rank-${x.shape.length} inputs are not supported`);
  const act = effectiveActivation(ctx, activationName(ctx));
  if (act.dropped) return { ...x, droppedActivation: act.dropped };
  if (act.name === 'linear') return { tensor: emit(ctx, 'Identity', [x.tensor], {}, true), shape: x.shape };
  return { tensor: applyActivation(ctx, x.tensor, act.name, true), shape: x.shape };
};

/** `ReLU` layer: Relu, or Clip(0, max_value); a negative slope or threshold is refused. */
export const reluLayer: LayerConverter = (ctx) => {
  const x = single(ctx);
  const c = ctx.layer.config;
  if (c.negative_slope || c.threshold) fail(ctx, 'negative_slope and threshold are not supported');
  const max = c.max_value;
  if (max === null || max === undefined) return { tensor: emit(ctx, 'Relu', [x.tensor], {}, true), shape: x.shape };
  if (typeof max !== 'number') return fail(ctx, `cannot read max_value=${JSON.stringify(max)}`);
  const lo = ctx.graph.scalar(`${ctx.layer.name}/min`, 0);
  const hi = ctx.graph.scalar(`${ctx.layer.name}/max`, max);
  return { tensor: emit(ctx, 'Clip', [x.tensor, lo, hi], {}, true), shape: x.shape };
};

/** `LeakyReLU` layer (tfjs default alpha 0.3). */
export const leakyReluLayer: LayerConverter = (ctx) => {
  const x = single(ctx);
  const alpha = ctx.layer.config.alpha ?? 0.3;
  if (typeof alpha !== 'number') return fail(ctx, `cannot read alpha=${JSON.stringify(alpha)}`);
  return { tensor: emit(ctx, 'LeakyRelu', [x.tensor], { alpha: { float: alpha } }, true), shape: x.shape };
};
