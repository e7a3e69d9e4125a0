/**
 * The weight of the stride-1 convolution that computes a Conv's input gradient, built once from the
 * forward weight `w` ([M, C/group, k...], row-major): the result has shape [C, M/group, k...] and
 *
 *   out[g·C/g + c, m, t] = w[g·M/g + m, c, k−1−t]   (every spatial axis flipped),
 *
 * i.e. w flipped spatially with its in/out channels swapped inside each group, so that
 * Conv(dy, out, group) computes ConvTranspose(dy, w, group) for stride 1.
 */
export function convTransposeWeight(
  w: ArrayLike<number>,
  dims: readonly number[],
  group: number,
): { values: Float32Array; dims: number[] } {
  return flipWeight(w, dims, group);
}

/**
 * `convTransposeWeight` of the constant tensor `name` (`read` gives its value, null when it is not a
 * constant). Inside `sharingConvWeights` the result is remembered by name: the weight is decoded
 * and flipped once however many backward branches read it.
 */
export function sharedConvTransposeWeight(
  name: string,
  group: number,
  read: () => { readonly values: ArrayLike<number>; readonly dims: readonly number[] } | null,
): Flipped | null {
  const memo = sharing?.get(name);
  if (memo && memo.group === group) return memo.result;
  const w = read();
  if (!w) return null;
  const result = flipWeight(w.values, w.dims, group);
  sharing?.set(name, { group, result });
  return result;
}

type Flipped = { values: Float32Array; dims: number[] };
let sharing: Map<string, { group: number; result: Flipped }> | null = null;

/**
 * Runs `build` (synchronous) with `sharedConvTransposeWeight` remembering its results by weight name: the
 * backward branches of one many-branch graph then flip each weight once and hand the emitter the
 * same array (which `NodeEmitter`'s `shareConstants` recognises without comparing values).
 */
export function sharingConvWeights<T>(build: () => T): T {
  const outer = sharing;
  sharing = new Map();
  try {
    return build();
  } finally {
    sharing = outer;
  }
}

function flipWeight(w: ArrayLike<number>, dims: readonly number[], group: number): Flipped {
  const [M, Cg, ...k] = dims as [number, number, ...number[]];
  const Mg = M / group;
  const taps = k.reduce((a, b) => a * b, 1);
  const values = new Float32Array(M * Cg * taps);
  // Flipping every spatial axis of a row-major kernel reverses its flat tap order.
  for (let g = 0; g < group; g++)
    for (let c = 0; c < Cg; c++)
      for (let m = 0; m < Mg; m++) {
        const dst = ((g * Cg + c) * Mg + m) * taps;
        const src = ((g * Mg + m) * Cg + c) * taps;
        for (let t = 0; t < taps; t++) values[dst + t] = w[src + taps - 1 - t]!;
      }
  return { values, dims: [Cg * group, Mg, ...k] };
}
