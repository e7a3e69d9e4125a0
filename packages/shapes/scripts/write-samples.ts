/**
 * Writes the demo sample images: `samples/<index>-<class>.png` (RGBA, the model's input size), the
 * object mask of each as `samples/<index>-<class>.mask.npy` (float32 0/1, `[H, W]`), and
 * `samples/index.json`. The images are samples 0–7 of the generator at `SAMPLE_SEED`, a seed used
 * neither for training nor for validation; indices 0–4 hold one image of every default class.
 *
 *   pnpm --filter @gradscope/shapes samples
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { encodeNpy } from '@gradscope/core';
import { createShapesGenerator, DEFAULT_CLASSES, SAMPLE_SEED, sampleName } from '@gradscope/shapes';

const dir = new URL('../../samples/', import.meta.url);
mkdirSync(dir, { recursive: true });
const gen = createShapesGenerator({ size: 64, classes: DEFAULT_CLASSES, seed: SAMPLE_SEED });
const index = gen.samples(8).map((s) => {
  const name = sampleName(s.index, s.className);
  const png = new PNG({ width: s.width, height: s.height });
  png.data.set(s.image);
  writeFileSync(new URL(`${name}.png`, dir), PNG.sync.write(png));
  writeFileSync(
    new URL(`${name}.mask.npy`, dir),
    encodeNpy({ data: Float32Array.from(s.mask), shape: [s.height, s.width] }),
  );
  return {
    image: `${name}.png`,
    mask: `${name}.mask.npy`,
    index: s.index,
    label: s.label,
    className: s.className,
    background: s.background,
  };
});
writeFileSync(
  new URL('index.json', dir),
  JSON.stringify({ generator: { size: 64, classes: DEFAULT_CLASSES, seed: SAMPLE_SEED }, samples: index }, null, 2) +
    '\n',
);
console.log(`wrote ${index.length} samples to ${dir.pathname}`);
