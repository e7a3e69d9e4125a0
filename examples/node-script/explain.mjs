// Grad-CAM on gradscope's built-in model, written as an overlay PNG. Usage: node explain.mjs [out.png]
import { fileURLToPath } from 'node:url';
import { createGradscope, imageToTensor } from '@gradscope/core';
import { builtinMethods } from '@gradscope/methods';
import { useTfjsBackend } from '@gradscope/backend-tfjs';
import { tfjsNodeBackend } from '@gradscope/backend-tfjs/node';
import { overlay } from '@gradscope/render';
import { writePng } from '@gradscope/render/node';
import { createShapesGenerator, modelUrl } from '@gradscope/shapes';

await useTfjsBackend('wasm');
const gs = createGradscope({ methods: builtinMethods });
const model = await tfjsNodeBackend.load(fileURLToPath(modelUrl));
const sample = createShapesGenerator({ seed: 42, size: 64 }).sample(0); // a star, a circle, …
const x = imageToTensor({ data: sample.image, width: 64, height: 64 }, model.input, model.input.normalization);
const e = await gs.explain(model, x, { method: 'gradcam' });
const out = process.argv[2] ?? 'gradcam.png';
await writePng(out, overlay({ data: sample.image, width: 64, height: 64 }, e.map));
console.log(
  `${sample.className} → predicted ${model.classes?.[e.target.classIndex]} (layer ${e.layers}), wrote ${out}`,
);
await model.dispose();
await gs.dispose();
