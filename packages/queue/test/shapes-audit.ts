import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { encodePng } from '@gradscope/render/node';
import { createShapesGenerator } from '@gradscope/shapes';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
export const CLI_BIN = join(ROOT, 'packages', 'cli', 'dist', 'bin.js');
const MODEL = join(ROOT, 'packages', 'shapes', 'model', 'model.json');
const PLUGIN = join(import.meta.dirname, 'fixtures', 'test-metrics.mjs');

/**
 * `gradscope evaluate` arguments for an audit of the built-in shapes model: `count` generated images
 * (PNG, in `<dir>/images`) with their masks (`<dir>/masks`), Grad-CAM and saliency, and two metrics
 * from a test plugin (one runs the model, one uses the mask).
 */
export function shapesAudit(dir: string, count: number): { images: string; args: string[] } {
  const images = join(dir, 'images');
  const masks = join(dir, 'masks');
  mkdirSync(images, { recursive: true });
  mkdirSync(masks, { recursive: true });
  for (const s of createShapesGenerator({ seed: 4242 }).samples(count)) {
    const name = `shape-${String(s.index).padStart(3, '0')}.png`;
    const rgba = new Uint8ClampedArray(s.mask.length * 4);
    s.mask.forEach((v, i) => rgba.set([v * 255, v * 255, v * 255, 255], i * 4));
    writeFileSync(join(images, name), encodePng({ width: s.width, height: s.height, channels: 4, data: s.image }));
    writeFileSync(join(masks, name), encodePng({ width: s.width, height: s.height, channels: 4, data: rgba }));
  }
  const args = ['evaluate', images, '--model', MODEL, '--method', 'gradcam,saliency', '--masks', masks];
  return { images, args: [...args, '--metrics', 'masked-score,mask-energy', '--plugin', PLUGIN] };
}
