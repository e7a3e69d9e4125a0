import { emit, fail, requireChannelsLast, single, type LayerConverter } from '../layer-context.js';

/** `padding` as [[top, bottom], [left, right]] from an int, a pair, or a pair of pairs. */
function pads(v: unknown): [[number, number], [number, number]] | null {
  const isInt = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0;
  if (v === undefined || v === null)
    return [
      [1, 1],
      [1, 1],
    ];
  if (isInt(v))
    return [
      [v, v],
      [v, v],
    ];
  if (Array.isArray(v) && v.length === 2) {
    if (isInt(v[0]) && isInt(v[1]))
      return [
        [v[0], v[0]],
        [v[1], v[1]],
      ];
    const ok = (p: unknown): p is [number, number] => Array.isArray(p) && p.length === 2 && isInt(p[0]) && isInt(p[1]);
    if (ok(v[0]) && ok(v[1])) return [v[0], v[1]];
  }
  return null;
}

/** `ZeroPadding2D`: constant-zero Pad of the spatial axes (NCHW pads [0, 0, t, l, 0, 0, b, r]). */
export const zeroPadding2dLayer: LayerConverter = (ctx) => {
  requireChannelsLast(ctx);
  const x = single(ctx);
  if (x.shape.length !== 4) fail(ctx, `expected an NHWC input, got rank ${x.shape.length}`);
  const p = pads(ctx.layer.config.padding);
  if (!p) return fail(ctx, `cannot read padding=${JSON.stringify(ctx.layer.config.padding)}`);
  const [[t, b], [l, r]] = p;
  const [n = null, h = null, w = null, c = null] = x.shape;
  const padsName = ctx.graph.int64(`${ctx.layer.name}/pads`, [0, 0, t, l, 0, 0, b, r]);
  return {
    tensor: emit(ctx, 'Pad', [x.tensor, padsName], { mode: 'constant' }, true),
    shape: [n, h === null ? null : h + t + b, w === null ? null : w + l + r, c],
  };
};
