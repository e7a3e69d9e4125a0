import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  classTarget,
  createGradscope,
  decodeNpy,
  minMaxScale,
  seededUniform,
  weightedChannelSum,
  type Tensor,
} from '@gradscope/core';
import { builtinMethods, scaleCam } from '../src/index.js';
import { grayU8, sobelU8 } from '../src/cam/sobel.js';
import { fakeModel } from './fake-model.js';

const fixture = (name: string): Tensor =>
  decodeNpy(new Uint8Array(readFileSync(new URL(`fixtures/${name}.npy`, import.meta.url))));

/** A fake model with one 3-channel 4×5 layer whose activation is given. */
function oneLayer(a: Float32Array, input: [number, number, number] = [3, 8, 10]) {
  return fakeModel({
    numClasses: 2,
    input,
    layers: [
      {
        name: 'feat',
        activation: { data: a, shape: [1, 3, 4, 5] },
        weights: Float32Array.from({ length: 2 * 60 }, (_, i) => Math.cos(i)),
      },
    ],
  });
}
const gs = createGradscope({ methods: builtinMethods });
const x = { data: new Float32Array(3 * 8 * 10).fill(0.5), shape: [1, 3, 8, 10] };
/** The CAM pipeline's map of a raw `[4·5]` map at 8×10 (one layer: scaled, resized, scaled again). */
const pipeline = (raw: Float32Array) => minMaxScale(scaleCam(raw, 4, 5, 8, 10));

describe('class-independent CAM variants against their closed forms', () => {
  const a = Float32Array.from({ length: 60 }, (_, i) => Math.max(Math.sin(i * 1.7) * 3, 0) + (i % 7 === 0 ? 5 : 0));

  it('FEM: w_c = share of positions above mean + k·std (population std, strict)', async () => {
    const w = new Float32Array(3);
    for (let c = 0; c < 3; c++) {
      const v = Array.from(a.subarray(c * 20, (c + 1) * 20));
      const m = v.reduce((s, t) => s + t, 0) / 20;
      const sd = Math.sqrt(v.reduce((s, t) => s + (t - m) ** 2, 0) / 20);
      w[c] = v.filter((t) => t > m + 1 * sd).length / 20;
    }
    expect([...w].some((t) => t > 0)).toBe(true);
    const e = await gs.explain(oneLayer(a), x, { method: 'fem', layer: 'feat', options: { k: 1 } });
    const raw = weightedChannelSum(a, w);
    Array.from(e.raw.data).forEach((v, i) => expect(v).toBeCloseTo(raw[i]!, 5));
    Array.from(e.map.data).forEach((v, i) => expect(v).toBeCloseTo(pipeline(raw)[i]!, 5));
  });

  it('Random-CAM: seeded uniform weights in [−1, 1), reproducible, different per seed', async () => {
    const u = seededUniform(4);
    const w = Float32Array.from({ length: 3 }, () => 2 * u() - 1);
    const e = await gs.explain(oneLayer(a), x, { method: 'random-cam', layer: 'feat', options: { seed: 4 } });
    const raw = weightedChannelSum(a, w);
    Array.from(e.raw.data).forEach((v, i) => expect(v).toBeCloseTo(raw[i]!, 6));
    const again = await gs.explain(oneLayer(a), x, { method: 'random-cam', layer: 'feat', options: { seed: 4 } });
    expect(Array.from(again.map.data)).toEqual(Array.from(e.map.data));
    const other = await gs.explain(oneLayer(a), x, { method: 'random-cam', layer: 'feat', options: { seed: 5 } });
    expect(Array.from(other.raw.data)).not.toEqual(Array.from(e.raw.data));
  });

  it('aug smoothing averages the six de-augmented maps without re-normalising', async () => {
    const e = await gs.explain(oneLayer(a), x, { method: 'eigencam', layer: 'feat', options: { augSmooth: true } });
    // the fake's activations do not depend on the input: all six maps are the plain map, flips included
    const plain = await gs.explain(oneLayer(a), x, { method: 'eigencam', layer: 'feat' });
    const [H, W] = [8, 10];
    const flipped = new Float32Array(H * W);
    for (let y = 0; y < H; y++) for (let i = 0; i < W; i++) flipped[y * W + i] = plain.map.data[y * W + W - 1 - i]!;
    Array.from(e.map.data).forEach((v, i) => expect(v).toBeCloseTo((plain.map.data[i]! + flipped[i]!) / 2, 5));
  });
});

describe('Sobel-CAM equals pytorch-grad-cam sobel_cam (OpenCV) byte for byte', () => {
  const img = fixture('sobel-image');
  const [H, W] = img.shape as [number, number, number];
  const plane = (c: number) => Uint8Array.from({ length: H * W }, (_, i) => img.data[i * 3 + c]!);

  it('gray conversion and the 8-bit Sobel magnitude', () => {
    const gray = grayU8(plane(0), plane(1), plane(2));
    expect(Array.from(gray)).toEqual(Array.from(fixture('sobel-gray').data));
    expect(Array.from(sobelU8(gray, H, W))).toEqual(Array.from(fixture('sobel-cam').data));
  });

  it('the method undoes the model normalisation and min-max scales the edges', async () => {
    const mean = [0.4, 0.5, 0.6],
      std = [0.2, 0.25, 0.3];
    // the image as a normalised NHWC input; +0.5/255 so the method's truncation recovers each byte
    const data = Float32Array.from(img.data, (v, i) => ((v + 0.5) / 255 - mean[i % 3]!) / std[i % 3]!);
    const m = fakeModel({ numClasses: 2, layout: 'NHWC', input: [3, H, W], layers: [] });
    const model = { ...m, input: { ...m.input, normalization: { mean, std } } };
    const e = await gs.explain(model, { data, shape: [1, H, W, 3] }, { method: 'sobel-cam', target: classTarget(1) });
    expect(Array.from(e.raw.data)).toEqual(Array.from(fixture('sobel-cam').data));
    expect(Array.from(e.map.data)).toEqual(Array.from(minMaxScale(fixture('sobel-cam').data)));
  });
});
