import { emit, fail, requireWeight, single, type LayerConverter } from '../layer-context.js';

/**
 * Inference `BatchNormalization` over the channel axis: ONNX BatchNormalization with the moving
 * statistics, `y = γ·(x − μ)/√(σ² + ε) + β` (γ = 1 without `scale`, β = 0 without `center`).
 */
export const batchNormalizationLayer: LayerConverter = (ctx) => {
  const x = single(ctx);
  const rank = x.shape.length;
  const axis = ctx.layer.config.axis ?? -1;
  const ax = Array.isArray(axis) && axis.length === 1 ? axis[0] : axis;
  if (rank !== 2 && rank !== 4) fail(ctx, `rank-${rank} inputs are not supported`);
  if (ax !== -1 && ax !== rank - 1)
    fail(ctx, `axis ${JSON.stringify(axis)} is not supported (only the channel axis, -1)`);
  const mean = requireWeight(ctx, 'moving_mean');
  const variance = requireWeight(ctx, 'moving_variance');
  const c = mean.values.length;
  const gamma = ctx.layer.config.scale === false ? null : requireWeight(ctx, 'gamma');
  const beta = ctx.layer.config.center === false ? null : requireWeight(ctx, 'beta');
  const name = ctx.layer.name;
  const g = ctx.graph;
  const inputs = [
    x.tensor,
    g.float(gamma?.name ?? `${name}/gamma`, { dims: [c], values: gamma?.values ?? new Float32Array(c).fill(1) }),
    g.float(beta?.name ?? `${name}/beta`, { dims: [c], values: beta?.values ?? new Float32Array(c) }),
    g.float(mean.name, { dims: [c], values: mean.values }),
    g.float(variance.name, { dims: [c], values: variance.values }),
  ];
  const epsilon = ctx.layer.config.epsilon ?? 1e-3;
  if (typeof epsilon !== 'number') return fail(ctx, `cannot read epsilon=${JSON.stringify(epsilon)}`);
  return { tensor: emit(ctx, 'BatchNormalization', inputs, { epsilon: { float: epsilon } }, true), shape: x.shape };
};
