import { flipBytes, NASTY_INTS, truncate, type Rng } from './rng.js';

const enc = (s: string) => new TextEncoder().encode(s);

/** A `.npy` file with the given header dict text and body (version 1.0, padded like numpy). */
export function npyBytes(header: string, body: Uint8Array, version = 1): Uint8Array {
  const pre = version === 1 ? 10 : 12;
  const pad = 64 - ((pre + header.length + 1) % 64);
  const h = enc(`${header}${' '.repeat(pad % 64)}\n`);
  const out = new Uint8Array(pre + h.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  new DataView(out.buffer).setUint32(8, h.length, true);
  if (version === 1) new DataView(out.buffer).setUint16(8, h.length, true);
  out.set(h, pre);
  out.set(body, pre + h.length);
  return out;
}

const header = (descr: string, shape: string, fortran = 'False') =>
  `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': (${shape}), }`;

/** Mutated `.npy` inputs for a model whose input is `shape` (`[1, …]`). */
export function mutateNpy(r: Rng, shape: readonly number[]): { bytes: Uint8Array; what: string } {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n).map(() => r.next() * 2 - 1);
  const body = new Uint8Array(values.buffer);
  const good = header('<f4', shape.join(', '));
  const what = r.pick([
    'header-garbage',
    'header-flip',
    'shape',
    'descr',
    'fortran',
    'version',
    'hlen',
    'body-flip',
    'body-truncate',
    'non-finite',
    'extreme',
    'file-truncate',
  ]);
  switch (what) {
    case 'header-garbage': {
      const at = r.int(good.length);
      return {
        bytes: npyBytes(
          good.slice(0, at) + r.pick(['junk', ',', "'", ')', '(', '}', '{', '\\x00']) + good.slice(at),
          body,
        ),
        what,
      };
    }
    case 'header-flip':
      return { bytes: flipBytes(r, npyBytes(good, body), 1 + r.int(4), 0), what };
    case 'shape': {
      const s = shape.map((d) => (r.chance(0.5) ? r.pick([...NASTY_INTS, -d, d * 2]) : d));
      return {
        bytes: npyBytes(header('<f4', r.chance(0.2) ? r.pick(['', ',', '1,,2', 'x', '1.5, 2']) : s.join(', ')), body),
        what,
      };
    }
    case 'descr':
      return {
        bytes: npyBytes(
          header(r.pick(['<f2', '>f4', '<c8', '|b1', 'O', '<U4', '<f8', '|u1', '<i8', '']), shape.join(', ')),
          body,
        ),
        what,
      };
    case 'fortran':
      return {
        bytes: npyBytes(header('<f4', shape.join(', '), r.pick(['True', 'maybe', '1', "'False'"])), body),
        what,
      };
    case 'version':
      return { bytes: npyBytes(good, body, r.pick([0, 2, 3, 4, 255])), what };
    case 'hlen': {
      const b = npyBytes(good, body);
      new DataView(b.buffer).setUint16(8, r.pick([0, 1, 0xffff, b.length, 9]), true);
      return { bytes: b, what };
    }
    case 'body-flip':
      return { bytes: flipBytes(r, npyBytes(good, body), 1 + r.int(64), 128), what };
    case 'body-truncate':
      return { bytes: npyBytes(good, truncate(r, body)), what };
    case 'non-finite':
      for (let k = 0; k < 1 + r.int(4); k++) values[r.int(n)] = r.pick([NaN, Infinity, -Infinity]);
      return { bytes: npyBytes(good, body), what };
    case 'extreme':
      values.fill(r.pick([3e38, -3e38, 1e30, 1e-45]));
      return { bytes: npyBytes(good, body), what };
    default:
      return { bytes: truncate(r, npyBytes(good, body)), what };
  }
}

const u32be = (b: Uint8Array, o: number, v: number) => new DataView(b.buffer, b.byteOffset).setUint32(o, v >>> 0);

/** Mutated PNG or JPEG inputs from a valid `png` and `jpeg`. */
export function mutateImage(r: Rng, png: Uint8Array, jpeg: Uint8Array): { bytes: Uint8Array; what: string } {
  const what = r.pick([
    'png-dims',
    'png-ihdr',
    'png-chunk-length',
    'png-flip',
    'png-truncate',
    'jpeg-dims',
    'jpeg-length',
    'jpeg-flip',
    'jpeg-truncate',
  ]);
  const p = new Uint8Array(png);
  const j = new Uint8Array(jpeg);
  switch (what) {
    case 'png-dims':
      u32be(p, 16, r.pick([...NASTY_INTS, 30000, 100000]));
      u32be(p, 20, r.pick([...NASTY_INTS, 30000, 100000]));
      return { bytes: p, what };
    case 'png-ihdr':
      p[24 + r.int(5)] = r.pick([0, 1, 2, 3, 4, 6, 7, 16, 255]);
      return { bytes: p, what };
    case 'png-chunk-length':
      u32be(p, r.pick([8, 33]), r.pick(NASTY_INTS));
      return { bytes: p, what };
    case 'png-flip':
      return { bytes: flipBytes(r, p, 1 + r.int(8), 8), what };
    case 'png-truncate':
      return { bytes: truncate(r, p), what };
    case 'jpeg-dims': {
      for (let o = 2; o + 9 < j.length;) {
        if (j[o] === 0xff && j[o + 1]! >= 0xc0 && j[o + 1]! <= 0xc2) {
          new DataView(j.buffer).setUint16(o + 5, r.pick([0, 1, 65535, 30000]));
          new DataView(j.buffer).setUint16(o + 7, r.pick([0, 1, 65535, 30000]));
          break;
        }
        o += 2 + ((j[o + 2]! << 8) | j[o + 3]!);
      }
      return { bytes: j, what };
    }
    case 'jpeg-length':
      new DataView(j.buffer).setUint16(4, r.pick([0, 1, 2, 65535]));
      return { bytes: j, what };
    case 'jpeg-flip':
      return { bytes: flipBytes(r, j, 1 + r.int(16), 3), what };
    default:
      return { bytes: truncate(r, j), what };
  }
}
