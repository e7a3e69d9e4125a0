import type { Tensor } from './tensor.js';

/** Encodes a float32 tensor as a NumPy `.npy` file (format 1.0, little-endian, C order). */
export function encodeNpy(t: Tensor): Uint8Array {
  const shape = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`;
  const pre = 10;
  const pad = 64 - ((pre + header.length + 1) % 64);
  header += ' '.repeat(pad % 64) + '\n';
  const out = new Uint8Array(pre + header.length + t.data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[pre + i] = header.charCodeAt(i);
  out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), pre + header.length);
  return out;
}

/**
 * Decodes a `.npy` file of float32, float64, uint8, int32 or int64 values (C order) to a float32
 * tensor. Throws a one-line `Error` naming what is wrong with the file.
 */
export function decodeNpy(bytes: Uint8Array): Tensor {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((m, i) => bytes[i] !== m)) throw new Error('not a .npy file (bad magic bytes)');
  const major = bytes[6]!;
  const hlen =
    major === 1 ? bytes[8]! | (bytes[9]! << 8) : bytes[8]! | (bytes[9]! << 8) | (bytes[10]! << 16) | (bytes[11]! << 24);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(start, start + hlen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeStr = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeStr === undefined) throw new Error('malformed .npy header');
  if (fortran === 'True') throw new Error('Fortran-order .npy arrays are not supported; save with C order');
  const shape = shapeStr
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const n = shape.reduce((a, b) => a * b, 1);
  const off = start + hlen;
  // copy into a fresh buffer: a Node Buffer's slice() is a view whose .buffer starts at the header
  const body = new Uint8Array(bytes.subarray(off));
  const width: Record<string, number> = { '<f4': 4, '<f8': 8, '|u1': 1, '<i4': 4, '<i8': 8 };
  const wd = width[descr];
  if (!wd) throw new Error(`unsupported .npy dtype '${descr}' (use float32)`);
  if (body.byteLength < n * wd)
    throw new Error(`truncated .npy file: shape (${shape.join(', ')}) needs ${n * wd} bytes, found ${body.byteLength}`);
  const buf = body.buffer;
  const data =
    descr === '<f4'
      ? new Float32Array(buf, 0, n)
      : descr === '<f8'
        ? Float32Array.from(new Float64Array(buf, 0, n))
        : descr === '<i4'
          ? Float32Array.from(new Int32Array(buf, 0, n))
          : descr === '<i8'
            ? Float32Array.from(new BigInt64Array(buf, 0, n), Number)
            : Float32Array.from(new Uint8Array(buf, 0, n));
  return { data, shape };
}
