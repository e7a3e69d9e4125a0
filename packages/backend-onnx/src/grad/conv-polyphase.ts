import type { GradContext } from './grad-rule.js';
import type { WindowGeometry } from './conv-transpose-back.js';

/**
 * Along one spatial axis of a stride-s, dilation-1 convolution with begin pad p and kernel length
 * k, input position i = q·s + r (phase r) receives dy[q + e]·w[t] for every tap t with
 * t ≡ r + p (mod s), where e = (r + p − t)/s. `lo` is the smallest offset e over all phases and
 * `len` the window that covers every phase's offsets.
 */
interface AxisPhases {
  readonly lo: number;
  readonly len: number;
}

function axisPhases(k: number, s: number, p: number): AxisPhases {
  let lo = Infinity;
  let hi = -Infinity;
  for (let r = 0; r < s; r++) {
    for (let t = 0; t < k; t++) {
      const v = r + p - t;
      if (((v % s) + s) % s !== 0) continue;
      lo = Math.min(lo, v / s);
      hi = Math.max(hi, v / s);
    }
  }
  return { lo, len: hi - lo + 1 };
}

/**
 * The weight of the polyphase form of a strided Conv's input gradient, built once from the forward
 * weight `w` ([M, C/group, kh, kw], row-major) for stride s on both axes and dilation 1: shape
 * [C·s², M/group, Lh, Lw] with
 *
 *   out[c·s² + rh·s + rw, m, jh, jw] = w[g·M/g + m, c − g·C/g, th, tw],  t = r + p − s·(lo + j)
 *
 * (zero where t falls outside the kernel), so that Conv(dy, out, group) computes, in output
 * channel c·s² + rh·s + rw at position (qh, qw), dx[c, qh·s + rh, qw·s + rw].
 */
export function polyphaseWeight(
  w: ArrayLike<number>,
  dims: readonly number[],
  group: number,
  s: number,
  pads: readonly [number, number],
): { values: Float32Array; dims: number[] } {
  const [M, Cg, kh, kw] = dims as [number, number, number, number];
  const Mg = M / group;
  const ph = axisPhases(kh, s, pads[0]);
  const pw = axisPhases(kw, s, pads[1]);
  const P = s * s;
  const L = ph.len * pw.len;
  const values = new Float32Array(Cg * group * P * Mg * L);
  for (let g = 0; g < group; g++)
    for (let c = 0; c < Cg; c++)
      for (let rh = 0; rh < s; rh++)
        for (let rw = 0; rw < s; rw++)
          for (let m = 0; m < Mg; m++) {
            const dst = (((g * Cg + c) * P + rh * s + rw) * Mg + m) * L;
            const src = ((g * Mg + m) * Cg + c) * kh * kw;
            for (let jh = 0; jh < ph.len; jh++) {
              const th = rh + pads[0] - s * (ph.lo + jh);
              if (th < 0 || th >= kh) continue;
              for (let jw = 0; jw < pw.len; jw++) {
                const tw = rw + pads[1] - s * (pw.lo + jw);
                if (tw < 0 || tw >= kw) continue;
                values[dst + jh * pw.len + jw] = w[src + th * kw + tw]!;
              }
            }
          }
  return { values, dims: [Cg * group * P, Mg, ph.len, pw.len] };
}

/**
 * d x for a strided 2-D y = conv(x, W) with a constant W, the same stride s on both axes and
 * dilation 1, as ONE ordinary Conv producing all s² output phases as channels, then DepthToSpace
 * (CRD) to interleave them and a Slice to x's size. Used for a network's stem, where dx has few
 * channels: onnxruntime's ConvTranspose spends its time in col2im there (resnet18's 7×7/2 stem on
 * onnxruntime-node: ConvTranspose 4.5 ms, this form 3.2 ms; equal on onnxruntime-web). Wider
 * strided convs stay on ConvTranspose: DepthToSpace over many channels costs more than it saves
 * (mobilenet_v2's depthwise stride-2 convs: 2.2 ms → 2.8 ms). Returns null where it does not apply.
 */
export function convPolyphaseGradient(
  ctx: GradContext,
  g: string,
  w: string,
  geo: WindowGeometry,
  xShape: readonly number[],
  yShape: readonly number[],
): string | null {
  const { kernel: k, strides: st, dilations: d, pads: p, group } = geo;
  if (k.length !== 2 || st[0] !== st[1] || st[0]! < 2 || d.some((v) => v !== 1)) return null;
  const weight = ctx.constant(w);
  if (!weight) return null;
  const s = st[0]!;
  const pads: number[] = [0, 0, 0, 0];
  const size: number[] = [0, 0];
  for (let i = 0; i < 2; i++) {
    const a = axisPhases(k[i]!, s, p[i]!);
    const begin = -a.lo;
    if (begin < 0) return null;
    const Q = Math.ceil(xShape[2 + i]! / s);
    pads[i] = begin;
    pads[i + 2] = Math.max(0, Q - yShape[2 + i]! - begin + a.len - 1);
    size[i] = s * (yShape[2 + i]! + begin + pads[i + 2]! - a.len + 1);
  }
  const wt = polyphaseWeight(weight.values, weight.dims, group, s, [p[0]!, p[1]!]);
  const phases = ctx.op('Conv', [g, ctx.constFloat(wt.values, wt.dims)], {
    kernel_shape: wt.dims.slice(2),
    pads,
    group,
  });
  const full = ctx.op('DepthToSpace', [phases], { blocksize: s, mode: 'CRD' });
  if (size[0] === xShape[2] && size[1] === xShape[3]) return full;
  return ctx.op('Slice', [
    full,
    ctx.constInt64([0, 0]),
    ctx.constInt64([xShape[2]!, xShape[3]!]),
    ctx.constInt64([2, 3]),
  ]);
}
