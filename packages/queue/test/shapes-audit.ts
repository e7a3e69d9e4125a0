import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { encodePng } from '@gradscope/render/node';
import { createShapesGenerator } from '@gradscope/shapes';
import { imageSeed, type EvaluationJob, type EvaluationSpec } from '../../cli/src/evaluate/evaluation-spec.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
export const CLI_BIN = join(ROOT, 'packages', 'cli', 'dist', 'bin.js');

/**
 * An audit of the built-in shapes model: `count` generated images with masks written as PNGs to
 * `dir`, Grad-CAM and saliency, and two metrics from a test plugin (one runs the model, one uses the mask).
 */
export function shapesAudit(dir: string, count: number): { spec: EvaluationSpec; jobs: EvaluationJob[] } {
  mkdirSync(dir, { recursive: true });
  const gen = createShapesGenerator({ seed: 4242 });
  const jobs: EvaluationJob[] = gen.samples(count).map((s) => {
    const image = `shape-${String(s.index).padStart(3, '0')}.png`;
    const rgba = new Uint8ClampedArray(s.mask.length * 4);
    s.mask.forEach((v, i) => rgba.set([v * 255, v * 255, v * 255, 255], i * 4));
    const file = join(dir, image);
    const mask = join(dir, `mask-${image}`);
    writeFileSync(file, encodePng({ width: s.width, height: s.height, channels: 4, data: s.image }));
    writeFileSync(mask, encodePng({ width: s.width, height: s.height, channels: 4, data: rgba }));
    return { image, file, mask, methods: ['gradcam', 'saliency'], seed: imageSeed(image) };
  });
  const model = join(ROOT, 'packages', 'shapes', 'model', 'model.json');
  const spec: EvaluationSpec = {
    backend: 'tfjs',
    model,
    modelLabel: 'shapes',
    load: {},
    methods: ['gradcam', 'saliency'],
    methodOptions: {},
    layers: ['auto'],
    target: { kind: 'class' },
    metrics: ['masked-score', 'mask-energy'],
    metricOptions: {},
    plugins: [pathToFileURL(join(import.meta.dirname, 'fixtures', 'test-metrics.mjs')).href],
  };
  return { spec, jobs };
}
