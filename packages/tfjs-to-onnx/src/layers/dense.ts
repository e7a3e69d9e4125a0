import { emit, fail, requireWeight, single, type LayerConverter } from '../layer-context.js';
import { activationName, applyActivation, effectiveActivation } from './activation.js';

/**
 * `Dense` on `[N, in]`: Gemm(x, kernel [in, out], bias) then the fused activation. A final
 * softmax/sigmoid is dropped by default, so the converted model outputs logits.
 */
export const denseLayer: LayerConverter = (ctx) => {
  const x = single(ctx);
  if (x.shape.length !== 2)
    fail(ctx, `Dense on a rank-${x.shape.length} input is not supported (flatten or pool first)`);
  const k = requireWeight(ctx, 'kernel');
  const [cin, cout] = k.shape as [number, number];
  if (x.shape[1] !== null && x.shape[1] !== cin)
    fail(ctx, `kernel [${k.shape.join(', ')}] does not fit ${x.shape[1]} input features`);
  const inputs = [x.tensor, ctx.graph.float(k.name, { dims: [cin, cout], values: k.values })];
  if (ctx.layer.config.use_bias !== false) {
    const b = requireWeight(ctx, 'bias');
    inputs.push(ctx.graph.float(b.name, { dims: [cout], values: b.values }));
  }
  const act = effectiveActivation(ctx, activationName(ctx));
  const y = emit(ctx, 'Gemm', inputs, {}, act.name === 'linear');
  return {
    tensor: applyActivation(ctx, y, act.name, true),
    shape: [x.shape[0]!, cout],
    ...(act.dropped ? { droppedActivation: act.dropped } : {}),
  };
};
