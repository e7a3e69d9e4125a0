import type { GradContext } from './grad-rule.js';

/** Geometry of a convolution-like window op (spatial axes only). */
export interface WindowGeometry {
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  /** [begin..., end...] */
  readonly pads: readonly number[];
  readonly group: number;
}

/** Reads kernel/strides/dilations/pads of a Conv or pooling node, resolving auto_pad from shapes. */
export function windowGeometry(
  ctx: GradContext,
  kernel: readonly number[],
  xShape: readonly number[],
  yShape: readonly number[],
): WindowGeometry {
  const a = ctx.node.attrs;
  const r = kernel.length;
  const strides = a.ints('strides', Array(r).fill(1));
  const dilations = a.ints('dilations', Array(r).fill(1));
  let pads = a.ints('pads', Array(2 * r).fill(0));
  const auto = a.string('auto_pad', 'NOTSET');
  if (auto === 'VALID') pads = Array(2 * r).fill(0);
  else if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
    pads = Array(2 * r).fill(0);
    for (let i = 0; i < r; i++) {
      const total = Math.max(
        0,
        (yShape[2 + i]! - 1) * strides[i]! + (kernel[i]! - 1) * dilations[i]! + 1 - xShape[2 + i]!,
      );
      const small = Math.floor(total / 2);
      pads[i] = auto === 'SAME_UPPER' ? small : total - small;
      pads[i + r] = total - pads[i]!;
    }
  }
  return { kernel, strides, dilations, pads, group: a.int('group', 1) };
}

/**
 * d x for y = conv(x, W): ConvTranspose of g with the same weight, whose end pads are adjusted so
 * that the result has x's spatial size exactly (rows the conv never read get zeros via
 * output_padding, or a Pad).
 */
export function convTransposeBack(
  ctx: GradContext,
  g: string,
  w: string,
  geo: WindowGeometry,
  xShape: readonly number[],
  yShape: readonly number[],
): string {
  const r = geo.kernel.length;
  const pads = [...geo.pads];
  const extra: number[] = Array(r).fill(0);
  for (let i = 0; i < r; i++) {
    const full =
      geo.strides[i]! * (yShape[2 + i]! - 1) +
      (geo.kernel[i]! - 1) * geo.dilations[i]! +
      1 -
      geo.pads[i]! -
      geo.pads[i + r]!;
    const end = geo.pads[i + r]! - (xShape[2 + i]! - full);
    pads[i + r] = Math.max(end, 0);
    extra[i] = Math.max(-end, 0);
  }
  // rows the conv never read come out as zeros: ConvTranspose's output_padding when below the
  // stride (the spec's limit), else a Pad
  const inline = extra.every((e, i) => e < geo.strides[i]!);
  const gx = ctx.op('ConvTranspose', [g, w], {
    kernel_shape: [...geo.kernel],
    strides: [...geo.strides],
    dilations: [...geo.dilations],
    pads,
    group: geo.group,
    ...(inline && extra.some((e) => e > 0) ? { output_padding: extra } : {}),
  });
  if (inline || extra.every((e) => e === 0)) return gx;
  return ctx.op('Pad', [gx, ctx.constInt64([0, 0, ...Array(r).fill(0), 0, 0, ...extra])]);
}
