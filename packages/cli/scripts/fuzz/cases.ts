import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { mutateOnnx } from './mutate-onnx.js';
import { mutateImage, mutateNpy, npyBytes } from './mutate-input.js';
import { mutateTfjs } from './mutate-tfjs.js';
import { rng } from './rng.js';

/** The valid files every case starts from: the conformance suite's tiny-cnn on both runtimes. */
export interface BaseAssets {
  readonly onnx: Uint8Array;
  readonly tfjsJson: string;
  readonly tfjsWeights: Uint8Array;
  readonly tfjsSidecar: Uint8Array;
  readonly png: Uint8Array;
  readonly jpeg: Uint8Array;
}

/** One fuzz case: the files to write, the commands to run on them, and what was mutated. */
export interface FuzzCase {
  readonly id: string;
  readonly what: string;
  readonly files: Readonly<Record<string, Uint8Array>>;
  readonly commands: readonly (readonly string[])[];
}

export function loadAssets(fixture: URL): BaseAssets {
  const read = (p: string) => new Uint8Array(readFileSync(new URL(p, fixture)));
  const w = 32,
    h = 32;
  const p = new pngjs.PNG({ width: w, height: h });
  for (let i = 0; i < w * h * 4; i++) p.data[i] = i % 4 === 3 ? 255 : (i * 53) % 256;
  const rgba = new Uint8Array(p.data);
  return {
    onnx: read('model.onnx'),
    tfjsJson: new TextDecoder().decode(read('tfjs/model.json')),
    tfjsWeights: read('tfjs/weights.bin'),
    tfjsSidecar: read('tfjs/model.gradscope.json'),
    png: new Uint8Array(pngjs.PNG.sync.write(p)),
    jpeg: new Uint8Array(jpeg.encode({ data: rgba, width: w, height: h }, 90).data),
  };
}

const SHAPES = { onnx: [1, 3, 32, 32], tfjs: [1, 32, 32, 3] } as const;

/** Case `index` of the run seeded `seed`: the same pair always gives the same files. */
export function makeCase(a: BaseAssets, seed: number, index: number): FuzzCase {
  const r = rng((seed * 0x9e3779b1) ^ (index * 0x85ebca6b));
  const runtime = r.chance(0.5) ? 'onnx' : 'tfjs';
  const modelFiles = (): Record<string, Uint8Array> =>
    runtime === 'onnx'
      ? { 'model.onnx': a.onnx }
      : {
          'model.json': new TextEncoder().encode(a.tfjsJson),
          'weights.bin': a.tfjsWeights,
          'model.gradscope.json': a.tfjsSidecar,
        };
  const modelName = runtime === 'onnx' ? 'model.onnx' : 'model.json';
  const good = new Float32Array(32 * 32 * 3).map((_, i) => Math.sin(i));
  let files: Record<string, Uint8Array>;
  let input = 'input.npy';
  let what: string;
  const roll = r.next();
  if (roll < 0.55) {
    // a mutated model with a valid input
    if (runtime === 'onnx') {
      const m = mutateOnnx(r, a.onnx);
      files = { 'model.onnx': m.bytes };
      what = `onnx:${m.what}`;
    } else {
      const m = mutateTfjs(r, a.tfjsJson, a.tfjsWeights);
      files = { 'model.json': m.json, 'weights.bin': m.weights, 'model.gradscope.json': a.tfjsSidecar };
      what = `tfjs:${m.what}`;
    }
    files['input.npy'] = npyBytes(
      `{'descr': '<f4', 'fortran_order': False, 'shape': (${SHAPES[runtime].join(', ')}), }`,
      new Uint8Array(good.buffer),
    );
  } else if (roll < 0.75) {
    const m = mutateNpy(r, SHAPES[runtime]);
    files = { ...modelFiles(), 'input.npy': m.bytes };
    what = `${runtime}/npy:${m.what}`;
  } else {
    const m = mutateImage(r, a.png, a.jpeg);
    input = m.what.startsWith('png') ? 'input.png' : 'input.jpg';
    files = { ...modelFiles(), [input]: m.bytes };
    what = `${runtime}/image:${m.what}`;
  }
  const method = r.pick(['gradcam', 'gradcam', 'gradcam', 'saliency', 'gradcam,guided-backprop']);
  return {
    id: `${seed}-${index}`,
    what,
    files,
    commands: [
      ...(r.chance(0.25) ? [['layers', '--model', modelName, '--all']] : []),
      ['explain', input, '--model', modelName, '--out', 'out', '--method', method],
    ],
  };
}
