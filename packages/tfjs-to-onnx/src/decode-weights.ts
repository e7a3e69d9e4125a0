import { ModelLoadError } from '@gradscope/core';
import type { WeightSpec } from './artifacts.js';

/** A decoded weight: its tfjs shape and float32 values (row-major, tfjs order). */
export interface Weight {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

const BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** IEEE 754 half → number. */
function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/**
 * Splits concatenated weight bytes by their specs, in order, into float32 arrays. Handles float32,
 * int32 and bool weights and tfjs post-training quantisation (uint8/uint16 as `v·scale + min`,
 * float16). Throws a ModelLoadError when the bytes do not match the specs.
 */
export function decodeWeights(
  specs: readonly WeightSpec[],
  data: Uint8Array | ArrayBuffer,
  source = 'model.json',
): Map<string, Weight> {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Map<string, Weight>();
  let offset = 0;
  for (const spec of specs) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const stored = spec.quantization?.dtype ?? spec.dtype;
    const size = BYTES[stored];
    if (size === undefined) throw new ModelLoadError(source, `weight '${spec.name}' has unsupported dtype '${stored}'`);
    if (offset + n * size > bytes.byteLength) {
      throw new ModelLoadError(
        source,
        `weight data too short: '${spec.name}' needs bytes ${offset}–${offset + n * size}, only ${bytes.byteLength} given`,
      );
    }
    const values = new Float32Array(n);
    const q = spec.quantization;
    for (let i = 0; i < n; i++) {
      const at = offset + i * size;
      let v: number;
      switch (stored) {
        case 'float32':
          v = view.getFloat32(at, true);
          break;
        case 'int32':
          v = view.getInt32(at, true);
          break;
        case 'bool':
        case 'uint8':
          v = view.getUint8(at);
          break;
        case 'uint16':
          v = view.getUint16(at, true);
          break;
        default:
          v = halfToFloat(view.getUint16(at, true));
      }
      values[i] = q && stored !== 'float16' ? v * (q.scale ?? 1) + (q.min ?? 0) : v;
    }
    offset += n * size;
    out.set(spec.name, { name: spec.name, shape: [...spec.shape], values });
  }
  if (offset !== bytes.byteLength)
    throw new ModelLoadError(source, `weight data has ${bytes.byteLength} bytes, the manifest describes ${offset}`);
  return out;
}
