import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createShapesGenerator } from '@gradscope/shapes';
import pngjs from 'pngjs';

/** The built-in shapes model (ONNX, with its sidecar: normalisation, classes, 64×64 input). */
export const SHAPES_ONNX = new URL('../../shapes/model/model.onnx', import.meta.url).pathname;

function png(width: number, height: number, rgba: Uint8Array | Uint8ClampedArray): Buffer {
  const p = new pngjs.PNG({ width, height });
  p.data = Buffer.from(rgba);
  return pngjs.PNG.sync.write(p);
}

/** `n` generated shapes images in `<dir>/img/sNNN.png` and their masks (white object) in `<dir>/masks/`. */
export function writeShapes(dir: string, n: number, seed = 7): void {
  mkdirSync(join(dir, 'img'), { recursive: true });
  mkdirSync(join(dir, 'masks'), { recursive: true });
  const g = createShapesGenerator({ seed });
  for (let i = 0; i < n; i++) {
    const s = g.sample(i);
    const name = `s${String(i).padStart(3, '0')}.png`;
    writeFileSync(join(dir, 'img', name), png(s.width, s.height, s.image));
    const m = new Uint8Array(s.width * s.height * 4);
    for (let p = 0; p < s.width * s.height; p++) m.set(s.mask[p] ? [255, 255, 255, 255] : [0, 0, 0, 255], p * 4);
    writeFileSync(join(dir, 'masks', name), png(s.width, s.height, m));
  }
}

/**
 * A plugin module (plain JS, as a user would write one) with three metrics: the map's mean (with a
 * two-point curve), the share of the map's mass inside the mask (needs masks), and the drop of the
 * target's score when the pixels where the map is above 0.5 are set to 0 (runs the model).
 */
export const METRICS_PLUGIN = `
export const meanMap = { id: 'mean-map', title: 'mean of the map', description: 'test', higherIsBetter: false,
  needs: [], options: {},
  async compute(ctx) {
    let m = 0; for (const v of ctx.map.data) m += v;
    return { value: m / ctx.map.data.length, curve: { x: [0, 1], y: [0, m / ctx.map.data.length] } };
  } };
export const maskMass = { id: 'mask-mass', title: 'map mass inside the mask', description: 'test', higherIsBetter: true,
  needs: ['mask'], options: {},
  async compute(ctx) {
    let a = 0, b = 0; ctx.map.data.forEach((v, i) => { b += v; if (ctx.mask.data[i]) a += v; });
    return { value: b ? a / b : 0 };
  } };
export const dropHalf = { id: 'drop-half', title: 'score drop, top half deleted', description: 'test', higherIsBetter: true,
  needs: [], options: {},
  async compute(ctx) {
    const [, H, W, C] = ctx.input.shape; const x = new Float32Array(ctx.input.data);
    for (let p = 0; p < H * W; p++) if (ctx.map.data[p] > 0.5) for (let c = 0; c < C; c++) x[p * C + c] = 0;
    const both = new Float32Array(2 * x.length); both.set(ctx.input.data); both.set(x, x.length);
    const s = ctx.scores(await ctx.forwardBatch({ data: both, shape: [2, H, W, C] }));
    return { value: s[0] - s[1] };
  } };
`;
