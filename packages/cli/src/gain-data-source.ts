import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import { BadInputError } from '@gradscope/core';
import type { GainSample } from '@gradscope/gain';
import { biasedShapes, type BiasedSample } from '@gradscope/shapes';

/** Training and evaluation samples, in the network's input space. */
export interface GainDataSet {
  readonly train: GainSample[];
  readonly test: GainSample[];
  readonly size: number;
  readonly classes: number;
}

const fromBiased = (s: BiasedSample, mask: boolean, group?: string): GainSample => ({
  x: s.image.map((v) => 2 * (v - 0.5)),
  ...(s.label >= 0 ? { label: s.label } : {}),
  ...(mask ? { mask: s.mask } : {}),
  ...(group ? { group } : {}),
});

/**
 * The built-in biased-shapes data (GAIN.md §3.1; input 2(x − 0.5)): `count` training images with
 * masks on a seeded `maskFraction`, and a de-biased test set grouped aligned/conflicting.
 */
export function biasedShapesData(o: { size: number; count: number; maskFraction: number; seed: number }): GainDataSet {
  const gen = biasedShapes({ seed: o.seed, size: o.size });
  const every = o.maskFraction > 0 ? Math.round(1 / o.maskFraction) : 0;
  return {
    train: gen('train', o.count).map((s, i) => fromBiased(s, every > 0 && i % every === 0)),
    test: gen('test', 160).map((s) => fromBiased(s, true, s.label === s.context ? 'aligned' : 'conflicting')),
    size: o.size,
    classes: 4,
  };
}

interface Entry {
  readonly image: string;
  readonly label?: number;
  readonly labels?: number[];
  readonly mask?: string;
  readonly box?: [number, number, number, number];
  readonly group?: string;
  readonly split?: 'train' | 'test';
}

/**
 * A data folder: `samples.json` = `[{ image, label | labels, mask?, box?, group?, split? }]` with
 * PNG paths relative to the folder (masks: pixels > 127 are object). Pixels become
 * `(v/255 − mean)/std`. `split` defaults to `train`; with no test entries the train set is reused.
 */
export function folderData(dir: string, mean: number, std: number): GainDataSet {
  const root = resolve(dir);
  const entries = JSON.parse(readFileSync(join(root, 'samples.json'), 'utf8')) as Entry[];
  if (!Array.isArray(entries) || !entries.length) throw new BadInputError(`${root}/samples.json lists no samples`);
  let size = 0;
  const samples = entries.map((e) => {
    const png = PNG.sync.read(readFileSync(join(root, e.image)));
    if (png.width !== png.height) throw new BadInputError(`${e.image}: images must be square`);
    size ||= png.width;
    if (png.width !== size) throw new BadInputError(`${e.image}: ${png.width}px, the first image has ${size}px`);
    const x = new Float32Array(size * size * 3);
    for (let p = 0; p < size * size; p++)
      for (let c = 0; c < 3; c++) x[p * 3 + c] = (png.data[p * 4 + c]! / 255 - mean) / std;
    const m = e.mask ? PNG.sync.read(readFileSync(join(root, e.mask))) : null;
    const mask = m ? Uint8Array.from({ length: size * size }, (_, p) => (m.data[p * 4]! > 127 ? 1 : 0)) : undefined;
    const s: GainSample = { x, label: e.label, labels: e.labels, mask, box: e.box, group: e.group };
    return { s, split: e.split ?? 'train' };
  });
  const classes = 1 + Math.max(...samples.flatMap(({ s }) => (s.labels ? [...s.labels] : [s.label ?? 0])));
  const train = samples.filter((e) => e.split === 'train').map((e) => e.s);
  const test = samples.filter((e) => e.split === 'test').map((e) => e.s);
  return { train, test: test.length ? test : train, size, classes };
}
