import { existsSync, readFileSync, statSync } from 'node:fs';
import { decodeNpy } from '@gradscope/core';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import {
  createShapesGenerator,
  DEFAULT_CLASSES,
  modelSidecarUrl,
  modelUrl,
  SAMPLE_SEED,
  SAMPLES,
} from '../src/index.js';

describe('committed samples', () => {
  const gen = createShapesGenerator({ size: 64, classes: DEFAULT_CLASSES, seed: SAMPLE_SEED });

  it('cover every class', () => {
    expect(new Set(SAMPLES.map((s) => s.className))).toEqual(new Set(DEFAULT_CLASSES));
  });

  it.each(SAMPLES.map((s) => [s.image.pathname.split('/').pop()!, s] as const))(
    '%s is the generator output, with its mask',
    (_name, s) => {
      const want = gen.sample(s.index);
      expect([want.className, want.label]).toEqual([s.className, s.label]);
      const png = PNG.sync.read(readFileSync(s.image));
      expect([png.width, png.height]).toEqual([64, 64]);
      expect(new Uint8Array(png.data)).toEqual(new Uint8Array(want.image.buffer));
      const mask = decodeNpy(new Uint8Array(readFileSync(s.mask)));
      expect(mask.shape).toEqual([64, 64]);
      expect(Array.from(mask.data)).toEqual(Array.from(want.mask));
    },
  );

  it('index.json lists the same files', () => {
    const index = JSON.parse(readFileSync(new URL('../samples/index.json', import.meta.url), 'utf8')) as {
      samples: { image: string; index: number }[];
    };
    expect(index.samples.map((s) => [s.image, s.index])).toEqual(
      SAMPLES.map((s) => [s.image.pathname.split('/').pop(), s.index]),
    );
  });
});

describe('committed model', () => {
  const json = () =>
    JSON.parse(readFileSync(modelUrl, 'utf8')) as {
      format: string;
      weightsManifest: { paths: string[]; weights: { shape: number[]; dtype: string }[] }[];
    };
  const sidecar = () =>
    JSON.parse(readFileSync(modelSidecarUrl, 'utf8')) as {
      classes: string[];
      inputSize: { height: number; width: number };
      normalization: { mean: number[]; std: number[] };
    };

  it('is a tfjs layers-model whose weight files hold exactly the declared weights, ≤ 2 MB in all', () => {
    const { format, weightsManifest } = json();
    expect(format).toBe('layers-model');
    let declared = 0,
      total = statSync(modelUrl).size + statSync(modelSidecarUrl).size;
    for (const group of weightsManifest) {
      for (const w of group.weights) declared += 4 * w.shape.reduce((a, b) => a * b, 1);
      for (const p of group.paths) {
        const f = new URL(p, modelUrl);
        expect(existsSync(f)).toBe(true);
        total += statSync(f).size;
      }
    }
    const bytes = weightsManifest.flatMap((g) => g.paths).reduce((a, p) => a + statSync(new URL(p, modelUrl)).size, 0);
    expect(bytes).toBe(declared);
    expect(total).toBeLessThanOrEqual(2 * 1024 * 1024);
  });

  it('has a sidecar matching the generator: classes, input size, normalisation of its pixels', () => {
    const { classes, inputSize, normalization } = sidecar();
    expect(classes).toEqual(DEFAULT_CLASSES);
    expect(inputSize).toEqual({ height: 64, width: 64 });
    // The recorded statistics are those of generated images (independent draw, 200 images).
    const imgs = createShapesGenerator({ seed: 99 }).samples(200);
    for (let c = 0; c < 3; c++) {
      let s = 0,
        s2 = 0,
        n = 0;
      for (const im of imgs)
        for (let i = c; i < im.image.length; i += 4) {
          const v = im.image[i]! / 255;
          s += v;
          s2 += v * v;
          n++;
        }
      const mean = s / n;
      expect(Math.abs(normalization.mean[c]! - mean)).toBeLessThan(0.03);
      expect(Math.abs(normalization.std[c]! - Math.sqrt(s2 / n - mean * mean))).toBeLessThan(0.03);
    }
  });
});
