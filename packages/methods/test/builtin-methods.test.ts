import { describe, expect, it } from 'vitest';
import {
  CAPABILITIES,
  classTarget,
  createGradscope,
  isGradscopeError,
  negated,
  DuplicateRegistrationError,
  MissingCapabilityError,
  type Capability,
  type Layout,
  type Tensor,
} from '@gradscope/core';
import { builtinMethods, gradcam, scaleCam } from '../src/index.js';
import { fakeModel } from './fake-model.js';

/** mulberry32: a tiny seeded PRNG, values in [−1, 1). */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let r = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 2 ** 31 - 1;
  };
}
const randn = (r: () => number, n: number) => Float32Array.from({ length: n }, r);

// Input 3 × 8 × 6 (non-square), layers conv1 [4, 4, 3] and conv2 [5, 2, 3] (post-ReLU, so non-negative), 4 classes.
const K = 4,
  C = 3,
  H = 8,
  W = 6;
function make(layout: Layout, caps: readonly Capability[] = CAPABILITIES) {
  const r = rng(7);
  const a1 = Float32Array.from(randn(r, 48), Math.abs),
    a2 = Float32Array.from(randn(r, 30), Math.abs);
  const headW = randn(r, K * 5);
  headW.set([1, -1, 1, -1, 0.5], 2 * 5); // class 2: a map with positive and negative regions (so neither it nor its counterfactual is empty)
  const gap2 = Float32Array.from(
    { length: K * 30 },
    (_, i) => headW[Math.floor(i / 30) * 5 + Math.floor((i % 30) / 6)]! / 6,
  );
  return fakeModel({
    numClasses: K,
    layout,
    input: [C, H, W],
    capabilities: caps,
    inputWeights: randn(r, K * C * H * W),
    layers: [
      { name: 'conv1', activation: { data: a1, shape: [1, 4, 4, 3] }, weights: randn(r, K * 48) },
      { name: 'conv2', activation: { data: a2, shape: [1, 5, 2, 3] }, weights: gap2 },
    ],
    head: { featureLayer: 'conv2', weights: { data: headW, shape: [K, 5] } },
  });
}
const input = (layout: Layout): Tensor => ({
  data: randn(rng(3), C * H * W),
  shape: layout === 'NCHW' ? [1, C, H, W] : [1, H, W, C],
});
/**
 * Options that make the class-independent baselines non-empty on the fake model's tiny layers: FEM's
 * k-sigma rule selects no position of a 2×3 map at k = 2, and seed 0's random weights are all
 * negative there (both are correct, and tested against closed forms in cam-variants.test.ts).
 */
const GENERIC_OPTIONS: Record<string, Record<string, unknown>> = {
  fem: { k: 0.5 },
  'random-cam': { seed: 1 },
  occlusion: { window: 2, stride: 1 },
  rise: { cell: 2, masks: 200 },
  smoothgrad: { samples: 4 },
  'smoothgrad-sq': { samples: 4 },
};
const registered = () => createGradscope({ methods: builtinMethods });

describe('builtin methods', () => {
  it('register under kebab-case ids on their own Gradscope, idempotently, never globally', () => {
    const gs = registered();
    gs.register(builtinMethods);
    expect(gs.methods().map((m) => m.id)).toEqual([
      'gradcam',
      'counterfactual-gradcam',
      'cam',
      'saliency',
      'guided-backprop',
      'deconvnet',
      'guided-gradcam',
      'gradcam-plusplus',
      'xgradcam',
      'hirescam',
      'gradcam-elementwise',
      'layercam',
      'eigencam',
      'eigengradcam',
      'kpca-cam',
      'fem',
      'seg-eigen-cam',
      'refine-cam',
      'finer-cam',
      'shapley-cam',
      'fullgrad',
      'dff',
      'random-cam',
      'sobel-cam',
      'scorecam',
      'ablationcam',
      'occlusion',
      'rise',
      'integrated-gradients',
      'input-x-gradient',
      'smoothgrad',
      'smoothgrad-sq',
    ]);
    expect(createGradscope().methods()).toEqual([]);
    expect(() => gs.register([{ ...gradcam }])).toThrow(DuplicateRegistrationError);
  });

  describe.each(builtinMethods.map((m) => [m.id, m] as const))('%s', (id, method) => {
    it('declares known requirements, a space and option defaults that validate', () => {
      for (const r of method.requires) expect(CAPABILITIES).toContain(r);
      expect(['layer', 'input']).toContain(method.space);
      for (const spec of Object.values(method.options))
        expect(typeof spec.default).toBe(
          spec.type === 'integer' ? 'number' : spec.type === 'enum' ? 'string' : spec.type,
        );
    });

    it.each(['NCHW', 'NHWC'] as const)(
      'gives a non-empty [H, W] map in [0, 1] and a raw map of the documented shape (%s)',
      async (layout) => {
        const m = make(layout);
        const options = GENERIC_OPTIONS[id] ?? {};
        const e = await registered().explain(m, input(layout), { method: id, target: classTarget(2), options });
        expect(e.map.shape).toEqual([H, W]);
        expect(e.map.data.length).toBe(H * W);
        expect(Math.min(...e.map.data)).toBeGreaterThanOrEqual(0);
        // every map is scaled to reach 1 (CAM maps again after the resize); DFF's concept maps, as
        // pytorch-grad-cam's, are scaled before the resize only, which may miss the peak
        if (id === 'dff') expect(Math.max(...e.map.data)).toBeGreaterThan(0.5);
        else expect(Math.max(...e.map.data)).toBeCloseTo(1, 5);
        expect(Math.max(...e.map.data)).toBeLessThanOrEqual(1);
        expect(e.raw.data.every(Number.isFinite)).toBe(true);
        if (method.space === 'input') expect(e.raw.shape).toEqual(input(layout).shape);
        else if (id === 'refine-cam' || id === 'sobel-cam' || id === 'fullgrad') expect(e.raw.shape).toEqual([H, W]);
        else expect(e.raw.shape).toEqual(id === 'cam' || e.layers[0] === 'conv2' ? [2, 3] : [4, 3]);
        expect(e.layers).toEqual(method.usesLayers || id === 'cam' ? ['conv2'] : []);
        expect(e.target.classIndex).toBe(2);
        expect(m.disposed).toBe(m.calls.length);
        // Sobel-CAM reads the image only, occlusion and RISE only run forwards; the others capture
        if (!['sobel-cam', 'occlusion', 'rise'].includes(id)) expect(m.calls.length).toBeGreaterThan(0);
      },
    );

    it.each(method.requires.map((r) => [r]))('is refused without %s before any capture', async (cap) => {
      const m = make(
        'NCHW',
        CAPABILITIES.filter((k) => k !== cap),
      );
      const err = await registered()
        .explain(m, input('NCHW'), { method: id })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MissingCapabilityError);
      expect(isGradscopeError(err, 'missing-capability')).toBe(true);
      expect((err as MissingCapabilityError).missing).toEqual([cap]);
      expect(m.calls.length).toBe(0);
    });
  });

  it('counterfactual Grad-CAM equals Grad-CAM of the negated target, and its raw map is −raw', async () => {
    const gs = registered(),
      x = input('NCHW');
    for (const k of [0, 1, 3]) {
      const plain = await gs.explain(make('NCHW'), x, { method: 'gradcam', target: classTarget(k) });
      const neg = await gs.explain(make('NCHW'), x, { method: 'gradcam', target: negated(classTarget(k)) });
      const cf = await gs.explain(make('NCHW'), x, { method: 'counterfactual-gradcam', target: classTarget(k) });
      expect(Array.from(cf.map.data)).toEqual(Array.from(neg.map.data));
      plain.raw.data.forEach((v, i) => expect(cf.raw.data[i]).toBeCloseTo(-v, 6));
      expect(cf.target.seed[k]).toBe(-1);
    }
  });

  it('averages several layers: the map is the min-max scaled mean of the per-layer scaled, resized maps', async () => {
    const gs = registered(),
      x = input('NHWC');
    const one = await Promise.all(
      ['conv1', 'conv2'].map((layer) => gs.explain(make('NHWC'), x, { method: 'gradcam', layer })),
    );
    const [H, W] = one[0]!.map.shape as [number, number];
    const perLayer = one.map((e) => scaleCam(e.raw.data, e.raw.shape[0]!, e.raw.shape[1]!, H, W));
    const both = await gs.explain(make('NHWC'), x, { method: 'gradcam', layer: ['conv1', 'conv2'] });
    const mean = perLayer[0]!.map((v, i) => (v + perLayer[1]![i]!) / 2);
    const lo = Math.min(...mean),
      hi = Math.max(...mean);
    both.map.data.forEach((v, i) => expect(v).toBeCloseTo((mean[i]! - lo) / (hi - lo), 5));
    // one layer: the resized map is min-max scaled again (pytorch-grad-cam's aggregate_multi_layers)
    for (const [k, e] of one.entries()) {
      const l = Math.min(...perLayer[k]!),
        h = Math.max(...perLayer[k]!);
      e.map.data.forEach((v, i) => expect(v).toBeCloseTo((perLayer[k]![i]! - l) / (h - l + 1e-7), 5));
      expect(Math.max(...e.map.data)).toBeCloseTo(1, 6);
    }
    expect(both.layers).toEqual(['conv1', 'conv2']);
    const gg = await gs.explain(make('NHWC'), x, { method: 'guided-gradcam', layer: ['conv1', 'conv2'] });
    expect(gg.layers).toEqual(['conv1', 'conv2']);
  });
});
