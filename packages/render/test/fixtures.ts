import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Reference values written by scripts/make-references.py (OpenCV, matplotlib, numpy). */
export interface References {
  readonly versions: Record<string, string>;
  readonly opencv: Record<'jet' | 'viridis' | 'inferno' | 'turbo', number[][]>;
  readonly matplotlibFloat: Record<'viridis' | 'inferno' | 'turbo', number[][]>;
  readonly matplotlibBytes: Record<'viridis' | 'inferno' | 'turbo', number[][]>;
  readonly overlays: { colormap: 'jet' | 'viridis' | 'turbo'; imageWeight: number; output: string }[];
  readonly arrays: Record<string, { file: string; dtype: 'uint8' | 'float32'; shape: number[] }>;
}

const dir = fileURLToPath(new URL('./fixtures/', import.meta.url));

export const refs: References = JSON.parse(readFileSync(dir + 'references.json', 'utf8'));

export function uint8(name: string): { data: Uint8Array; shape: number[] } {
  const a = refs.arrays[name]!;
  if (a.dtype !== 'uint8') throw new Error(`${name} is ${a.dtype}`);
  return { data: new Uint8Array(readFileSync(dir + a.file)), shape: a.shape };
}

export function float32(name: string): { data: Float32Array; shape: number[] } {
  const a = refs.arrays[name]!;
  if (a.dtype !== 'float32') throw new Error(`${name} is ${a.dtype}`);
  const bytes = readFileSync(dir + a.file);
  const data = new Float32Array(bytes.length / 4);
  for (let i = 0; i < data.length; i++) data[i] = bytes.readFloatLE(i * 4);
  return { data, shape: a.shape };
}

/** RGB bytes of an RGBA image, to compare with an H×W×3 reference. */
export function rgbOf(rgba: Uint8ClampedArray | Uint8Array): Uint8Array {
  const out = new Uint8Array((rgba.length / 4) * 3);
  for (let i = 0; i < rgba.length / 4; i++) out.set(rgba.subarray(i * 4, i * 4 + 3), i * 3);
  return out;
}

/** Number of differing entries and the largest absolute difference. */
export function diff(a: ArrayLike<number>, b: ArrayLike<number>): { count: number; max: number } {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let count = 0,
    max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (d > 0) count++;
    max = Math.max(max, d);
  }
  return { count, max };
}
