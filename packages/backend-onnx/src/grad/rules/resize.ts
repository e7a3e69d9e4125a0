import { defineGradRule } from '../grad-rule.js';

/** The input index ONNX Resize reads for output index `o` in nearest mode (spec formulas). */
function nearestSource(o: number, inLen: number, outLen: number, coord: string, rounding: string): number | null {
  const scale = outLen / inLen;
  let x: number;
  if (coord === 'asymmetric') x = o / scale;
  else if (coord === 'half_pixel') x = (o + 0.5) / scale - 0.5;
  else if (coord === 'pytorch_half_pixel') x = outLen > 1 ? (o + 0.5) / scale - 0.5 : 0;
  else if (coord === 'align_corners') x = outLen > 1 ? (o * (inLen - 1)) / (outLen - 1) : 0;
  else return null;
  const i =
    rounding === 'floor'
      ? Math.floor(x)
      : rounding === 'ceil'
        ? Math.ceil(x)
        : rounding === 'round_prefer_ceil'
          ? x - Math.floor(x) === 0.5
            ? Math.ceil(x)
            : Math.round(x)
          : x - Math.floor(x) === 0.5
            ? Math.floor(x)
            : Math.round(x); // round_prefer_floor (the default)
  return Math.min(Math.max(i, 0), inLen - 1);
}

/**
 * y = Resize(x) in nearest mode with an integer factor on each spatial axis where every input pixel
 * is copied into one s_h × s_w block (checked against the spec's coordinate formulas, e.g. torch's
 * `interpolate(mode='nearest')` export, asymmetric + floor): dx = dy summed over each block
 * (Reshape to [N, C, H, s_h, W, s_w], ReduceSum). Other modes and layouts are a clear
 * UnsupportedOperatorError.
 */
export const resizeGrad = defineGradRule({
  opType: 'Resize',
  backward(ctx) {
    const { node } = ctx;
    const x = node.inputs[0]!;
    const xs = ctx.shape(x);
    const ys = ctx.shape(node.outputs[0]!);
    const mode = node.attrs.string('mode', 'nearest');
    if (mode !== 'nearest') ctx.unsupported(`only mode 'nearest' is differentiated (this node uses '${mode}')`);
    if (xs.length !== 4 || xs[0] !== ys[0] || xs[1] !== ys[1])
      ctx.unsupported('only 4-D inputs resized on their spatial axes are supported');
    const coord = node.attrs.string('coordinate_transformation_mode', 'half_pixel');
    const rounding = node.attrs.string('nearest_mode', 'round_prefer_floor');
    const factors = [2, 3].map((a) => ys[a]! / xs[a]!);
    const blocks = factors.every(
      (f, k) =>
        Number.isInteger(f) &&
        Array.from({ length: ys[k + 2]! }, (_, o) => o).every(
          (o) => nearestSource(o, xs[k + 2]!, ys[k + 2]!, coord, rounding) === Math.floor(o / f),
        ),
    );
    if (!blocks)
      ctx.unsupported(
        `only integer factors that copy each pixel into a block are supported (${xs[2]}×${xs[3]} → ${ys[2]}×${ys[3]}, ${coord}, ${rounding})`,
      );
    const [fh, fw] = factors as [number, number];
    const view = ctx.op('Reshape', [ctx.gradOutput()!, ctx.constInt64([0, xs[1]!, xs[2]!, fh, xs[3]!, fw])]);
    return [ctx.reduceSum(view, [3, 5], false), null, null, null];
  },
});
