/** Per-channel spatial sum of a `[C, h·w]` block: `Σ_ij X[c]`. */
export function channelSums(x: Float32Array, channels: number): Float32Array {
  const hw = x.length / channels;
  const out = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    let s = 0;
    for (let i = 0; i < hw; i++) s += x[c * hw + i]!;
    out[c] = s;
  }
  return out;
}

/** Per-channel spatial mean of a `[C, h·w]` block: `w_c = mean_ij X[c]`. */
export function channelMeans(x: Float32Array, channels: number): Float32Array {
  const hw = x.length / channels;
  const out = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    let s = 0;
    for (let i = 0; i < hw; i++) s += x[c * hw + i]!;
    out[c] = s / hw;
  }
  return out;
}

/** `Σ_c w_c · A_c` for channels-first `A` of `[C, h·w]`. */
export function weightedChannelSum(a: Float32Array, weights: Float32Array): Float32Array {
  const C = weights.length;
  const hw = a.length / C;
  const out = new Float32Array(hw);
  for (let c = 0; c < C; c++) {
    const w = weights[c]!;
    if (w === 0) continue;
    const o = c * hw;
    for (let i = 0; i < hw; i++) out[i] = out[i]! + w * a[o + i]!;
  }
  return out;
}

/** `Σ_c X_c` for channels-first `X` of `[C, h·w]`. */
export function sumChannels(x: Float32Array, channels: number): Float32Array {
  const hw = x.length / channels;
  const out = new Float32Array(hw);
  for (let c = 0; c < channels; c++) for (let i = 0; i < hw; i++) out[i] = out[i]! + x[c * hw + i]!;
  return out;
}
