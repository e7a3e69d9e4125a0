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
import { normgrad, normgradMap } from '../src/index.js';
import { fakeModel } from './fake-model.js';

// A_0 = [1, 0, 0, 3], A_1 = [0, 2, 0, 0]; class 0: G_0 = [2, 5, 7, 1], G_1 = [1, −1, 3, 0].
// Per position p: ‖A_p‖ = [1, 2, 0, 3], ‖G_p‖ = [√5, √26, √58, 1] → raw = [√5, 2√26, 0, 3].
// (Grad-CAM's raw is [3.75, 1.5, 0, 11.25]: hottest at p = 3, NormGrad's at p = 1.)
const A: Tensor = { data: Float32Array.from([1, 0, 0, 3, 0, 2, 0, 0]), shape: [1, 2, 2, 2] };
const W = Float32Array.from([2, 5, 7, 1, 1, -1, 3, 0, ...Array(8).fill(0.1)]);
const x: Tensor = { data: new Float32Array(4), shape: [1, 1, 2, 2] };
const RAW = [Math.sqrt(5), 2 * Math.sqrt(26), 0, 3];
const ctx = (model: ReturnType<typeof fakeModel>, input = x) => ({
  model,
  input,
  layers: ['feat'],
  target: classTarget(0),
});
const withPlugin = () => {
  const gs = createGradscope({ methods: builtinMethods });
  gs.register([normgrad]); // what a plugin's user calls; registers like the builtin methods
  return gs;
};

describe('normgrad', () => {
  it('maps each position to ‖A‖·‖G‖ there (closed form)', async () => {
    const m = fakeModel(A, W, 2, [2, 2]);
    const r = await normgrad.explain(ctx(m), { augSmooth: false });
    RAW.forEach((v, i) => expect(r.raw.data[i]).toBeCloseTo(v, 5));
    RAW.map((v) => v / RAW[1]!).forEach((v, i) => expect(r.map.data[i]).toBeCloseTo(v, 6));
    expect(m.calls[0]!.gradients).toBe(true);
    expect(m.disposed).toBe(1);
    const g = await gradcam.explain(ctx(fakeModel(A, W, 2, [2, 2])), {});
    [3.75, 1.5, 0, 11.25].forEach((v, i) => expect(g.raw.data[i]).toBeCloseTo(v, 5));
  });
  it('ignores signs: negated activations and gradients give the same map, resized to the input', async () => {
    const neg = (t: Float32Array) => t.map((v) => -v);
    const input: Tensor = { data: new Float32Array(16), shape: [1, 1, 4, 4] };
    const r = await normgrad.explain(ctx(fakeModel({ ...A, data: neg(A.data) }, neg(W), 2, [4, 4]), input), {
      augSmooth: false,
    });
    RAW.forEach((v, i) => expect(r.raw.data[i]).toBeCloseTo(v, 5));
    const same = await normgrad.explain(ctx(fakeModel(A, W, 2, [4, 4]), input), { augSmooth: false });
    expect(r.map.shape).toEqual([4, 4]);
    expect(Array.from(r.map.data)).toEqual(Array.from(same.map.data));
    expect(Math.min(...r.map.data)).toBe(0);
  });
  it('registers next to the builtin methods on a Gradscope and runs through explain()', async () => {
    const gs = withPlugin();
    expect(gs.methods().map((m) => m.id)).toEqual([...builtinMethods.map((m) => m.id), 'normgrad']);
    gs.register([normgrad]); // the same object again: a no-op
    expect(Object.keys(gs.method('normgrad').options)).toEqual(['augSmooth']); // no eigenSmooth: own map
    const e = await gs.explain(fakeModel(A, W, 2, [2, 2]), x, { method: 'normgrad' });
    expect(e.layers).toEqual(['feat']);
    expect(e.target.classIndex).toBe(0);
    RAW.forEach((v, i) => expect(e.raw.data[i]).toBeCloseTo(v, 5));
    expect(createGradscope().methods()).toEqual([]);
    await gs.dispose();
  });
  it('refuses a different method under a taken id, its own or a builtin one', () => {
    const gs = withPlugin();
    expect(() => gs.register([{ ...normgrad }])).toThrow(DuplicateRegistrationError);
    const impostor = camMethod({
      id: 'gradcam',
      title: 'x',
      description: 'x',
      requires: ['activations'],
      options: {},
      map: (l) => new Float32Array(l.height * l.width),
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
    await expect(withPlugin().explain(m, x, { method: 'normgrad' })).rejects.toThrow(MissingCapabilityError);
    expect(m.calls.length).toBe(0);
  });
});

describe('normgrad against the pytorch-grad-cam pipeline (scripts/make-normgrad-golden.py)', () => {
  const npy = (name: string): Tensor =>
    decodeNpy(new Uint8Array(readFileSync(new URL(`fixtures/${name}.npy`, import.meta.url))));
  const [a, g] = [npy('a'), npy('g')];
  const diff = (x: ArrayLike<number>, y: ArrayLike<number>) =>
    Math.max(...Array.from(x, (v, i) => Math.abs(v - y[i]!)));
  it('matches the raw map and the resized, twice-scaled map to float32 noise', async () => {
    const m = fakeModel(a, Float32Array.from([...g.data, ...new Float32Array(g.data.length)]), 2, [12, 16]);
    const r = await normgrad.explain(ctx(m, { data: new Float32Array(12 * 16), shape: [1, 1, 12, 16] }), {
      augSmooth: false,
    });
    const raw = normgradMap({
      name: 'feat',
      activations: a.data,
      gradients: g.data,
      channels: 5,
      height: 6,
      width: 4,
      target: r.target,
      model: m,
    });
    expect(diff(raw, npy('raw').data)).toBeLessThan(1e-6);
    expect(raw[2 * 4 + 1]).toBe(0); // the position with A = 0
    expect(r.raw.shape).toEqual([6, 4]);
    expect(diff(r.raw.data, npy('raw').data)).toBeLessThan(1e-6);
    expect(r.map.shape).toEqual([12, 16]);
    expect(diff(r.map.data, npy('map').data)).toBeLessThan(1e-6);
  });
});
