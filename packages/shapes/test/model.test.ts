import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTfjsBackend } from '@gradscope/backend-tfjs';
import { tfjsNodeBackend } from '@gradscope/backend-tfjs/node';
import { argmax, createGradscope, imageToTensor, type Model, type Tensor } from '@gradscope/core';
import { gradcam } from '@gradscope/methods';
import { createShapesGenerator, DEFAULT_CLASSES, modelUrl, type ShapeSample } from '../src/index.js';

/** Held-out images: a seed used neither for training (1), validation (2) nor the samples (3). */
const TEST_SEED = 4;

describe('built-in demo model on held-out images', () => {
  const gen = createShapesGenerator({ size: 64, classes: DEFAULT_CLASSES, seed: TEST_SEED });
  let model: Model;
  const input = (s: ShapeSample): Tensor =>
    imageToTensor({ data: s.image, width: s.width, height: s.height }, model.input, model.input.normalization);

  beforeAll(async () => {
    await useTfjsBackend('wasm');
    model = await tfjsNodeBackend.load(modelUrl);
  });
  afterAll(async () => {
    await model?.dispose();
  });

  it('loads with the sidecar: classes, normalisation, 64×64 NHWC input', () => {
    expect(model.numClasses).toBe(DEFAULT_CLASSES.length);
    expect(model.input.normalization).toBeDefined();
    expect([model.input.height, model.input.width, model.input.channels, model.input.layout]).toEqual([
      64,
      64,
      3,
      'NHWC',
    ]);
  });

  it('classifies ≥ 97% of 700 held-out images correctly', async () => {
    const samples = gen.samples(700);
    let correct = 0;
    for (let start = 0; start < samples.length; start += 100) {
      const chunk = samples.slice(start, start + 100);
      const xs = chunk.map(input);
      const n = xs[0]!.data.length;
      const batch = new Float32Array(chunk.length * n);
      xs.forEach((x, i) => batch.set(x.data, i * n));
      const logits = await model.forward({ data: batch, shape: [chunk.length, 64, 64, 3] });
      const K = logits.shape[1]!;
      chunk.forEach((s, i) => {
        if (argmax(logits.data.subarray(i * K, (i + 1) * K)) === s.label) correct++;
      });
    }
    const accuracy = correct / samples.length;
    console.log(`held-out accuracy ${(100 * accuracy).toFixed(1)}% (${correct}/${samples.length})`);
    expect(accuracy).toBeGreaterThanOrEqual(0.97);
  });

  it("puts Grad-CAM's peak inside the object mask on ≥ 90% of 210 held-out images", async () => {
    const gs = createGradscope({ methods: [gradcam] });
    const samples = gen.samples(210, 1000);
    let inside = 0;
    for (const s of samples) {
      const r = await gs.explain(model, input(s), { method: gradcam.id });
      expect(r.map.shape).toEqual([64, 64]);
      expect(r.layers).toEqual(['relu4']); // `auto`: the linear head's feature layer
      if (s.mask[argmax(r.map.data)] === 1) inside++;
    }
    const rate = inside / samples.length;
    console.log(`Grad-CAM peak inside the mask on ${(100 * rate).toFixed(1)}% (${inside}/${samples.length})`);
    expect(rate).toBeGreaterThanOrEqual(0.9);
  });
});
