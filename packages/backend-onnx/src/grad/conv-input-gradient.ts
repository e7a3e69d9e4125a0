import type { GradContext } from './grad-rule.js';
import type { WindowGeometry } from './conv-transpose-back.js';
import { sharedConvTransposeWeight } from './conv-transpose-weight.js';

/**
 * d x for y = conv(x, W) with stride 1 as an ordinary `Conv` when W is a constant (onnxruntime's
 * Conv is ~1.8× faster than its ConvTranspose for the same work): dx = Conv(dy, W'), W' = W flipped
 * spatially with in/out channels swapped per group (computed here, once, at graph-build time), same
 * dilations and groups, pads (k−1)·d − pads so that dx has x's shape exactly (asymmetric pads
 * included). Returns null when this form does not apply — a computed weight, a stride > 1, or pads
 * larger than the dilated kernel extent — and the caller uses another form. (For strided convs a
 * Conv over zero-dilated dy was measured slower than ConvTranspose on resnet18 and mobilenet_v2;
 * see `convPolyphaseGradient` for the one strided case that gains.)
 */
export function convInputGradient(
  ctx: GradContext,
  g: string,
  w: string,
  geo: WindowGeometry,
  xShape: readonly number[],
  yShape: readonly number[],
): string | null {
  const { kernel: k, strides: s, dilations: d, pads: p, group } = geo;
  if (s.some((v) => v !== 1)) return null;
  const r = k.length;
  const ax = [...Array(r).keys()];
  // Output length = Ho + padsBegin + padsEnd − (k−1)·d = H, with Ho = H + p_b + p_e − (k−1)·d.
  const pads = [
    ...ax.map((i) => (k[i]! - 1) * d[i]! - p[i]!),
    ...ax.map((i) => xShape[2 + i]! + p[i]! - yShape[2 + i]!),
  ];
  if (pads.some((v) => v < 0)) return null;
  const wt = sharedConvTransposeWeight(w, group, () => ctx.constant(w));
  if (!wt) return null;
  return ctx.op('Conv', [g, ctx.constFloat(wt.values, wt.dims)], {
    kernel_shape: [...k],
    dilations: [...d],
    pads,
    group,
  });
}
