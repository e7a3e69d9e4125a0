import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pngjs from 'pngjs';
import { saveTinyModel } from '../tiny-tfjs-model.js';

/** One hostile input for the tiny tfjs model in a scratch folder, and what the CLI must answer. */
export interface BadInputCase {
  /** What the input is, as the docs' table shows it. */
  readonly input: string;
  readonly args: readonly string[];
  readonly exit: 1 | 2;
  /** gradscope's error code (`cli` / `usage` for the CLI's own errors). */
  readonly code: string;
  readonly message: RegExp;
}

/** A PNG of `w`×`h` noise-free pixels. */
export function png(w: number, h: number): Uint8Array {
  const p = new pngjs.PNG({ width: w, height: h });
  for (let i = 0; i < w * h * 4; i++) p.data[i] = (i * 37) % 256;
  return new Uint8Array(pngjs.PNG.sync.write(p));
}

/** A valid PNG whose IHDR is rewritten to announce `w`×`h` (CRC left stale, as a bomb's would not be). */
function pngHeader(w: number, h: number): Uint8Array {
  const b = png(8, 8);
  new DataView(b.buffer).setUint32(16, w);
  new DataView(b.buffer).setUint32(20, h);
  return b;
}

/** A `.npy` file with `header` as its header dict and `n` float32 zeros. */
function rawNpy(header: string, n: number): Uint8Array {
  const pad = 64 - ((10 + header.length + 1) % 64);
  const h = `${header}${' '.repeat(pad % 64)}\n`;
  const out = new Uint8Array(10 + h.length + 4 * n);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 0xff, h.length >> 8]);
  for (let i = 0; i < h.length; i++) out[10 + i] = h.charCodeAt(i);
  return out;
}

/** Writes the tiny model, its hostile variants and the hostile inputs into `dir`. */
export async function writeBadInputs(dir: string): Promise<void> {
  await saveTinyModel(dir);
  writeFileSync(join(dir, 'in.png'), png(8, 8));
  writeFileSync(join(dir, 'bomb.png'), pngHeader(30000, 30000));
  writeFileSync(join(dir, 'truncated.png'), png(8, 8).subarray(0, 60));
  writeFileSync(
    join(dir, 'negative.npy'),
    rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, -8, 8, 3), }", 0),
  );
  writeFileSync(
    join(dir, 'garbage.npy'),
    rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 8, 8, 3), junk}", 192),
  );
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const variant = (name: string, paths: string[], sidecar?: object) => {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(
      join(dir, name, 'model.json'),
      JSON.stringify({ ...json, weightsManifest: [{ ...json.weightsManifest[0], paths }] }),
    );
    if (sidecar) writeFileSync(join(dir, name, 'model.gradscope.json'), JSON.stringify(sidecar));
  };
  // NaN bias of the logits layer: the last 3 float32 values of weights.bin
  variant('nan', ['weights.bin']);
  const w = new Float32Array(new Uint8Array(readFileSync(join(dir, 'weights.bin'))).buffer);
  w.fill(NaN, w.length - 3);
  writeFileSync(join(dir, 'nan', 'weights.bin'), new Uint8Array(w.buffer));
  // one NaN weight in the first conv kernel: every later tensor is NaN
  variant('nan-kernel', ['weights.bin']);
  const k = new Float32Array(new Uint8Array(readFileSync(join(dir, 'weights.bin'))).buffer);
  k[0] = NaN;
  writeFileSync(join(dir, 'nan-kernel', 'weights.bin'), new Uint8Array(k.buffer));
  mkdirSync(join(dir, 'outside'));
  copyFileSync(join(dir, 'weights.bin'), join(dir, 'outside', 'weights.bin'));
  variant('escape', ['../outside/weights.bin']);
  variant('passwd', ['../../../../../../../../../../etc/passwd']);
  variant('absolute', [join(dir, 'outside', 'weights.bin')]);
  variant('sized', ['weights.bin'], { inputSize: [16, 16] });
  copyFileSync(join(dir, 'weights.bin'), join(dir, 'sized', 'weights.bin'));
}

const explain = (input: string, ...rest: string[]) => [
  'explain',
  input,
  '--model',
  'model.json',
  '--out',
  'o',
  ...rest,
];

/** The table: every row is run through the CLI by hostile-inputs.test.ts and printed in docs/bad-inputs.md. */
export const BAD_INPUT_CASES: readonly BadInputCase[] = [
  {
    input: 'model whose logits bias is NaN',
    args: ['explain', 'in.png', '--model', 'nan/model.json', '--out', 'o'],
    exit: 1,
    code: 'non-finite',
    message: /the logits of layer '\(model output\)' contains a non-finite value \(NaN\)/,
  },
  {
    input: 'model with one NaN weight in its first conv kernel',
    args: ['explain', 'in.png', '--model', 'nan-kernel/model.json', '--out', 'o'],
    exit: 1,
    code: 'non-finite',
    message: /contains a non-finite value/,
  },
  {
    input: 'PNG whose header announces 30000×30000',
    args: explain('bomb.png'),
    exit: 1,
    code: 'cli',
    message: /bomb\.png: PNG header says 30000×30000 = 900000000 pixels, more than the limit of 100000000/,
  },
  {
    input: '8×8 PNG with --max-pixels 10',
    args: explain('in.png', '--max-pixels', '10'),
    exit: 1,
    code: 'cli',
    message: /more than the limit of 10 \(raise it with --max-pixels\)/,
  },
  {
    input: 'PNG cut after 60 bytes',
    args: explain('truncated.png'),
    exit: 1,
    code: 'cli',
    message: /truncated\.png: cannot decode PNG: the file is truncated/,
  },
  {
    input: "tfjs weights path '../outside/weights.bin'",
    args: ['layers', '--model', 'escape/model.json'],
    exit: 1,
    code: 'model-load',
    message: /weights file '\.\.\/outside\/weights\.bin' \(it points outside the model's folder, which is refused/,
  },
  {
    input: "tfjs weights path '../../…/etc/passwd'",
    args: ['layers', '--model', 'passwd/model.json'],
    exit: 1,
    code: 'model-load',
    message:
      /weights file '[./]+etc\/passwd' \(it points outside the model's folder, which is refused unless allowPaths/,
  },
  {
    input: 'tfjs weights path that is absolute',
    args: ['layers', '--model', 'absolute/model.json'],
    exit: 1,
    code: 'model-load',
    message: /points outside the model's folder/,
  },
  {
    input: '--out below a file',
    args: ['explain', 'in.png', '--model', 'model.json', '--out', 'in.png/sub'],
    exit: 1,
    code: 'cli',
    message: /cannot write the output folder '.*in\.png\/sub': a part of the path is a file, not a folder/,
  },
  {
    input: '--out under /proc',
    args: ['explain', 'in.png', '--model', 'model.json', '--out', '/proc/gradscope-out'],
    exit: 1,
    code: 'cli',
    message: /cannot write the output folder '\/proc\/gradscope-out': /,
  },
  {
    input: '.npy header with a garbage token',
    args: explain('garbage.npy'),
    exit: 1,
    code: 'cli',
    message: /garbage\.npy: \.npy: malformed header near 'junk'/,
  },
  {
    input: '.npy with a negative dimension',
    args: explain('negative.npy'),
    exit: 1,
    code: 'cli',
    message: /negative\.npy: \.npy: negative dimension -8 in shape/,
  },
  {
    input: 'sidecar inputSize [16, 16] on a fixed 8×8 tfjs model',
    args: ['layers', '--model', 'sized/model.json'],
    exit: 1,
    code: 'bad-input-shape',
    message: /inputSize has shape \[1, 16, 16, 3\], expected \[N, 8, 8, 3\]/,
  },
  {
    input: '--layer naming the input layer on tfjs',
    args: explain('in.png', '--layer', 'conv1_input'),
    exit: 1,
    code: 'unknown-layer',
    message: /layer 'conv1_input' is the model's input, not a layer a method can explain at/,
  },
  {
    input: '--size 100000',
    args: explain('in.png', '--size', '100000'),
    exit: 2,
    code: 'usage',
    message: /--size 100000 is above the limit of 16384 pixels a side/,
  },
];
