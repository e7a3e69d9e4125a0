/** Spatial size after a window op (conv or pool) in tfjs/TensorFlow semantics; null when unknown. */
export function windowOutput(
  padding: 'same' | 'valid',
  size: number | null,
  kernel: number,
  stride: number,
  dilation = 1,
): number | null {
  if (size === null) return null;
  const span = (kernel - 1) * dilation + 1;
  return padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - span) / stride) + 1;
}

/**
 * TensorFlow's `same` padding along one axis: total = max((⌈n/s⌉ − 1)·s + (k − 1)·d + 1 − n, 0),
 * split as ⌊total/2⌋ before and the rest after (the extra pixel goes to the end, i.e. ONNX
 * `SAME_UPPER`). With stride 1 the total does not depend on n; null when n is needed but unknown.
 */
export function samePadding(
  size: number | null,
  kernel: number,
  stride: number,
  dilation = 1,
): [number, number] | null {
  const span = (kernel - 1) * dilation + 1;
  let total: number;
  if (stride === 1) total = span - 1;
  else if (size === null) return null;
  else total = Math.max((Math.ceil(size / stride) - 1) * stride + span - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/**
 * ONNX window attributes for a 2-D tfjs window op on an NHWC input of spatial size (h, w):
 * explicit `pads` [top, left, bottom, right] when they can be computed, else `auto_pad: SAME_UPPER`.
 */
export function windowAttrs(
  padding: 'same' | 'valid',
  h: number | null,
  w: number | null,
  kernel: readonly [number, number],
  strides: readonly [number, number],
  dilations: readonly [number, number] = [1, 1],
): { pads: number[] } | { auto_pad: string } {
  if (padding === 'valid') return { pads: [0, 0, 0, 0] };
  const ph = samePadding(h, kernel[0], strides[0], dilations[0]);
  const pw = samePadding(w, kernel[1], strides[1], dilations[1]);
  if (!ph || !pw) return { auto_pad: 'SAME_UPPER' };
  return { pads: [ph[0], pw[0], ph[1], pw[1]] };
}
