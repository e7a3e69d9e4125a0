/**
 * Writes the sample images of the GAIN experiment's models (experiment/models/*): eight biased-shapes
 * test images at 32², four aligned (the shape on its home context) and four conflicting (on another
 * class's context), as `experiment/samples/<i>-<shape>-on-<context>.png` (RGB), their object masks as
 * `.mask.npy` (float32 0/1, `[H, W]`) and `experiment/samples/index.json` (the shapes package's format).
 * The seed is used neither for training nor for the experiment's test set. The playground shows them.
 *
 *   pnpm --filter @gradscope/gain samples
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { encodeNpy } from '@gradscope/core';
import { encodePng } from '@gradscope/render/node';
import { BIASED_CONTEXTS, BIASED_SHAPE_CLASSES, biasedShapes } from '@gradscope/shapes';

const SEED = 11;
const SIZE = 32;
const dir = new URL('../../experiment/samples/', import.meta.url);
mkdirSync(dir, { recursive: true });
const gen = biasedShapes({ seed: SEED, size: SIZE });
const picked = [...gen('aligned', 4), ...gen('conflicting', 4)];
const samples = picked.map((s, i) => {
  const [shape, context] = [BIASED_SHAPE_CLASSES[s.label]!, BIASED_CONTEXTS[s.context]!];
  const name = `${i}-${shape}-on-${context}`;
  const rgb = Uint8Array.from(s.image, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
  writeFileSync(new URL(`${name}.png`, dir), encodePng({ data: rgb, width: SIZE, height: SIZE, channels: 3 }));
  writeFileSync(new URL(`${name}.mask.npy`, dir), encodeNpy({ data: Float32Array.from(s.mask), shape: [SIZE, SIZE] }));
  const group = s.label === s.context ? 'aligned' : 'conflicting';
  return { image: `${name}.png`, mask: `${name}.mask.npy`, label: s.label, className: shape, context, group };
});
const generator = { name: 'biasedShapes', size: SIZE, seed: SEED, classes: BIASED_SHAPE_CLASSES };
writeFileSync(new URL('index.json', dir), `${JSON.stringify({ generator, samples }, null, 2)}\n`);
console.log(`wrote ${samples.length} samples to ${dir.pathname}`);
