import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CAPABILITIES,
  classTarget,
  createGradscope,
  decodeNpy,
  DuplicateRegistrationError,
  MissingCapabilityError,
  type Tensor,
} from '@gradscope/core';
import { builtinMethods, camMethod, gradcam } from '@gradscope/methods';
import { xgradcam, xgradcamWeights } from '../src/index.js';
import { fakeModel } from './fake-model.js';

// A_0 = [1, 0, 0, 3] (Σ 4), A_1 = [0, 2, 0, 0] (Σ 2); class 0: G_0 = [2, 5, 7, 1], G_1 = [1, −1, 3, 0].
// XGrad-CAM: w_0 = (2·1 + 1·3) / 4 = 1.25, w_1 = (−1·2) / 2 = −1 → raw = 1.25·A_0 − A_1 = [1.25, −2, 0, 3.75].
// (Grad-CAM's weights would be mean G = 3.75 and 0.75.)
const A: Tensor = { data: Float32Array.from([1, 0, 0, 3, 0, 2, 0, 0]), shape: [1, 2, 2, 2] };
const W = Float32Array.from([2, 5, 7, 1, 1, -1, 3, 0, ...Array(8).fill(0.1)]);
const x: Tensor = { data: new Float32Array(4), shape: [1, 1, 2, 2] };
const withPlugin = () => {
  const gs = createGradscope({ methods: builtinMethods });
  gs.register([xgradcam]); // what a plugin's user calls; registers like the builtin methods
  return gs;
};

describe('xgradcam', () => {
  it('weights channels by the activation-weighted mean gradient (closed form)', async () => {
    const m = fakeModel(A, W, 2, [2, 2]);
    const r = await xgradcam.explain({ model: m, input: x, layers: ['feat'], target: classTarget(0) }, {});
    [1.25, -2, 0, 3.75].forEach((v, i) => expect(r.raw.data[i]).toBeCloseTo(v, 5));
    [1 / 3, 0, 0, 1].forEach((v, i) => expect(r.map.data[i]).toBeCloseTo(v, 6));
    expect(m.calls[0]!.gradients).toBe(true);
    expect(m.disposed).toBe(1);
    const g = await gradcam.explain(
      { model: fakeModel(A, W, 2, [2, 2]), input: x, layers: ['feat'], target: classTarget(0) },
      {},
    );
    [3.75, 1.5, 0, 11.25].forEach((v, i) => expect(g.raw.data[i]).toBeCloseTo(v, 5));
  });
  it('gives an all-zero channel the weight 0 (the 1e-7 keeps it finite)', async () => {
    const A0: Tensor = { data: Float32Array.from([1, 0, 0, 3, 0, 0, 0, 0]), shape: [1, 2, 2, 2] };
    const r = await xgradcam.explain(
      {
        model: fakeModel(A0, W, 2, [4, 4]),
        input: { data: new Float32Array(16), shape: [1, 1, 4, 4] },
        layers: ['feat'],
        target: classTarget(0),
      },
      {},
    );
    expect(r.raw.data.every(Number.isFinite)).toBe(true);
    [1.25, 0, 0, 3.75].forEach((v, i) => expect(r.raw.data[i]).toBeCloseTo(v, 5));
    expect(r.map.shape).toEqual([4, 4]);
  });
  it('registers next to the builtin methods on a Gradscope and runs through explain()', async () => {
    const gs = withPlugin();
    expect(gs.methods().map((m) => m.id)).toEqual([...builtinMethods.map((m) => m.id), 'xgradcam']);
    gs.register([xgradcam]);
    const e = await gs.explain(fakeModel(A, W, 2, [2, 2]), x, { method: 'xgradcam' });
    expect(e.layers).toEqual(['feat']);
    expect(e.target.classIndex).toBe(0);
    expect(createGradscope().methods()).toEqual([]);
    await gs.dispose();
  });
  it('refuses a different method under a taken id, its own or a builtin one', () => {
    const gs = withPlugin();
    expect(() => gs.register([{ ...xgradcam }])).toThrow(DuplicateRegistrationError);
    const impostor = camMethod({
      id: 'gradcam',
      title: 'x',
      description: 'x',
      requires: ['activations'],
      options: {},
      weights: (l) => new Float32Array(l.channels),
    });
    expect(() => gs.register([impostor])).toThrow(/already registered under the id 'gradcam'/);
  });
  it('is refused before any capture on a backend without layer gradients', async () => {
    const m = fakeModel(
      A,
      W,
      2,
      [2, 2],
      CAPABILITIES.filter((k) => k !== 'layer-gradients'),
    );
    await expect(withPlugin().explain(m, x, { method: 'xgradcam' })).rejects.toThrow(MissingCapabilityError);
    expect(m.calls.length).toBe(0);
  });
});

describe('xgradcam against the pytorch-grad-cam pipeline (scripts/make-xgradcam-golden.py)', () => {
  const npy = (name: string): Tensor =>
    decodeNpy(new Uint8Array(readFileSync(new URL(`fixtures/${name}.npy`, import.meta.url))));
  const [a, g] = [npy('a'), npy('g')];
  const model = () => fakeModel(a, Float32Array.from([...g.data, ...new Float32Array(g.data.length)]), 2, [12, 16]);
  it('matches the weights, the raw map and the resized map to float32 noise', async () => {
    const m = model();
    const r = await xgradcam.explain(
      {
        model: m,
        input: { data: new Float32Array(12 * 16), shape: [1, 1, 12, 16] },
        layers: ['feat'],
        target: classTarget(0),
      },
      {},
    );
    const diff = (x: ArrayLike<number>, y: ArrayLike<number>) =>
      Math.max(...Array.from(x, (v, i) => Math.abs(v - y[i]!)));
    const w = xgradcamWeights({
      name: 'feat',
      activations: a.data,
      gradients: g.data,
      channels: 5,
      height: 6,
      width: 4,
      target: r.target,
      model: m,
    });
    expect(diff(w, npy('weights').data)).toBeLessThan(1e-6);
    expect(w[3]).toBe(0);
    expect(r.raw.shape).toEqual([6, 4]);
    expect(diff(r.raw.data, npy('raw').data)).toBeLessThan(1e-6);
    expect(r.map.shape).toEqual([12, 16]);
    expect(diff(r.map.data, npy('map').data)).toBeLessThan(1e-6);
  });
});
