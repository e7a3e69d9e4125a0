import { BadInputError } from './errors.js';
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

const bad = (why: string): BadInputError => new BadInputError(`.npy: ${why}`);

/** The header dict of a `.npy` file, parsed strictly: exactly descr, fortran_order and shape. */
function parseHeader(header: string): { descr: string; fortran: boolean; shape: number[] } {
  const body = /^\{(.*)\}[ \n]*$/s.exec(header)?.[1];
  if (body === undefined) throw bad('malformed header (expected a {...} dict)');
  const entry = /^\s*'([A-Za-z_]+)'\s*:\s*('[^']*'|True|False|\([^)]*\))\s*(,|$)/;
  const seen = new Map<string, string>();
  let rest = body;
  while (rest.trim() !== '') {
    const m = entry.exec(rest);
    if (!m) throw bad(`malformed header near '${rest.trim().slice(0, 30)}'`);
    if (!['descr', 'fortran_order', 'shape'].includes(m[1]!) || seen.has(m[1]!))
      throw bad(`malformed header: unexpected or repeated key '${m[1]}'`);
    seen.set(m[1]!, m[2]!);
    rest = rest.slice(m[0].length);
  }
  const descr = seen.get('descr'),
    fortran = seen.get('fortran_order'),
    shapeText = seen.get('shape');
  if (!descr?.startsWith("'") || !fortran || fortran.startsWith("'") || !shapeText?.startsWith('('))
    throw bad('malformed header (needs descr, fortran_order and shape)');
  const parts = shapeText
    .slice(1, -1)
    .split(',')
    .map((x) => x.trim());
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 1 && parts[0] === '') parts.pop();
  const shape = parts.map((p) => {
    if (/^-\d+$/.test(p)) throw bad(`negative dimension ${p} in shape (${shapeText.slice(1, -1)})`);
    if (!/^\d{1,15}$/.test(p)) throw bad(`shape entry '${p}' is not a non-negative integer`);
    return Number(p);
  });
  return { descr: descr.slice(1, -1), fortran: fortran === 'True', shape };
}

/**
 * Decodes a `.npy` file (format 1.0–3.0) of float32, float64, uint8, int32 or int64 values (C order)
 * to a float32 tensor. The header is parsed strictly; anything else (garbage tokens, negative or
 * non-integer dimensions, a body shorter or longer than the shape) is a one-line BadInputError.
 */
export function decodeNpy(bytes: Uint8Array): Tensor {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((m, i) => bytes[i] !== m)) throw bad('not a .npy file (bad magic bytes)');
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw bad(`unsupported format version ${major}.${bytes[7]}`);
  if (major > 1 && bytes.length < 12) throw bad('truncated header');
  const hlen =
    major === 1
      ? bytes[8]! | (bytes[9]! << 8)
      : (bytes[8]! | (bytes[9]! << 8) | (bytes[10]! << 16) | (bytes[11]! << 24)) >>> 0;
  const start = major === 1 ? 10 : 12;
  if (start + hlen > bytes.length) throw bad(`truncated header (${hlen} bytes announced)`);
  const header = new TextDecoder().decode(bytes.subarray(start, start + hlen));
  const { descr, fortran, shape } = parseHeader(header);
  if (fortran) throw bad('Fortran-order arrays are not supported; save with C order');
  const width: Record<string, number> = { '<f4': 4, '<f8': 8, '|u1': 1, '<i4': 4, '<i8': 8 };
  const wd = width[descr];
  if (!wd) throw bad(`unsupported dtype '${descr}' (use float32)`);
  const n = shape.reduce((a, b) => a * b, 1);
  const off = start + hlen;
  const have = bytes.length - off;
  if (have < n * wd)
    throw new BadInputError(`truncated .npy file: shape (${shape.join(', ')}) needs ${n * wd} bytes, found ${have}`);
  if (have > n * wd) throw bad(`${have - n * wd} unexpected bytes after the data of shape (${shape.join(', ')})`);
  // copy into a fresh buffer: a Node Buffer's slice() is a view whose .buffer starts at the header
  const buf = new Uint8Array(bytes.subarray(off)).buffer;
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
