/** The closed-form maps of scripts/sanity-reference.py, in float64, row-major `[h, w]`. */
export function pattern(name: string, h: number, w: number): Float64Array {
  const out = new Float64Array(h * w);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const wave = Math.sin(x / 5) * Math.cos(y / 7) + 0.3 * Math.sin((x + y) / 11);
      out[y * w + x] =
        name === 'wave'
          ? wave
          : name === 'wave2'
            ? Math.sin(x / 6 + 0.4) * Math.cos(y / 5) + 0.2 * Math.cos((x - 2 * y) / 9)
            : name === 'relu-wave'
              ? Math.max(0, wave)
              : name === 'steps'
                ? Math.floor(Math.max(0, wave) * 4) / 4
                : Math.exp(-((x - 20) ** 2 + (y - 30) ** 2) / 50);
    }
  return out;
}

/** (m − min) / (max − min), as the reference script's `norm01`. */
export function norm01(m: Float64Array): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of m) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  return m.map((v) => (hi > lo ? (v - lo) / (hi - lo) : 0));
}
