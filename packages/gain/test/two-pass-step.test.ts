import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camPairs, gainGradients, splitModel, toBatch, disposeBatch, type GainLossSettings } from '../src/index.js';
import { camMaps } from '../src/cam-tensors.js';
import { maxAbsDiff, smokeSet, tinyCnn, wasmTraining } from './helpers.js';

const S: GainLossSettings = {
  mode: 'single',
  clWeight: 1,
  alpha: 1,
  omegaE: 10,
  sigma: 0.5,
  omega: 10,
  amScore: 'softmax',
  detachNormalizer: false,
  eraseValue: 0,
};

/**
 * An independent GAIN loss written with plain tfjs ops (tf.image.resizeBilinear with half-pixel
 * centres instead of the resize matrix). `weights(f, x)` supplies Grad-CAM's w: a materialised
 * constant, or — to show the test can fail — w computed inside the tape (second order).
 */
function referenceLoss(
  model: tf.LayersModel,
  x: tf.Tensor4D,
  y: tf.Tensor2D,
  masks: tf.Tensor3D,
  s: GainLossSettings,
  weights: (x: tf.Tensor4D) => tf.Tensor,
): tf.Scalar {
  const net = splitModel(model);
  const f = net.features(x, false);
  const logits = net.head(f, false);
  const cl = tf.losses.softmaxCrossEntropy(y, logits);
  const raw = tf.relu(tf.sum(tf.mul(f, weights(x)), -1));
  const mm = (a: tf.Tensor) => {
    const lo = tf.min(a, [1, 2], true);
    return tf.div(tf.sub(a, lo), tf.add(tf.sub(tf.max(a, [1, 2], true), lo), 1e-7));
  };
  const [, H, W] = x.shape;
  const map = mm(resizeHalfPixel(resizeHalfPixel(mm(raw), H, 1), W, 2));
  const t = tf.sigmoid(tf.mul(s.omega, tf.sub(map, s.sigma))).expandDims(-1);
  const am = tf.mean(tf.sum(tf.mul(tf.softmax(net.head(net.features(tf.sub(x, tf.mul(t, x)), false), false)), y), -1));
  const e = tf.mean(tf.squaredDifference(map, masks));
  return tf.addN([tf.mul(cl, s.clWeight), tf.mul(am, s.alpha), tf.mul(e, s.omegaE)]) as tf.Scalar;
}

/**
 * OpenCV-style bilinear resize (half-pixel centres, edge clamping) along `axis` of a `[P, h, w]`
 * tensor, as a product with a `[m, n]` interpolation matrix built here from the formula (tfjs's own
 * ResizeBilinear gradient ignores half-pixel centres, and wasm has no Gather gradient).
 */
function resizeHalfPixel(t: tf.Tensor, n: number, axis: 1 | 2): tf.Tensor {
  const m = t.shape[axis]!;
  const r = new Float32Array(m * n);
  for (let i = 0; i < n; i++) {
    const src = Math.max(0, ((i + 0.5) * m) / n - 0.5);
    const i0 = Math.min(Math.floor(src), m - 1);
    const i1 = Math.min(i0 + 1, m - 1);
    r[i0 * n + i] += 1 - (src - i0);
    r[i1 * n + i] += src - i0;
  }
  const v = axis === 2 ? t : tf.transpose(t, [0, 2, 1]);
  const [P, a] = v.shape as [number, number, number];
  const out = tf.matMul(tf.reshape(v, [P * a, m]), tf.tensor2d(r, [m, n])).reshape([P, a, n]);
  return axis === 2 ? out : tf.transpose(out, [0, 2, 1]);
}

const camWeightsOf = (model: tf.LayersModel, x: tf.Tensor4D, y: tf.Tensor2D) => {
  const net = splitModel(model);
  const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(net.head(a, false), y)))(net.features(x, false));
  return tf.mean(g, [1, 2], true);
};

describe('the two-pass GAIN step', () => {
  let undo: () => void;
  beforeAll(async () => (undo = await wasmTraining()));
  afterAll(() => undo());

  const run = (s: GainLossSettings) => {
    const model = tinyCnn();
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const batch = toBatch(tf, smokeSet(6), [16, 16, 3], 4);
    const ours = gainGradients(tf, splitModel(model), batch, s, vars);
    const constW = tf.tensor(camWeightsOf(model, batch.x, batch.y).dataSync(), [6, 1, 1, 8]);
    const ref = tf.variableGrads(() => referenceLoss(model, batch.x, batch.y, batch.masks!, s, () => constW), vars);
    const nested = tf.variableGrads(
      () => referenceLoss(model, batch.x, batch.y, batch.masks!, s, (x) => camWeightsOf(model, x, batch.y)),
      vars,
    );
    const out = { ours, ref, nested, names: vars.map((v) => v.name) };
    return {
      ...out,
      dispose() {
        tf.dispose([ours.grads, ref.grads, ref.value, nested.grads, nested.value, constW] as never);
        disposeBatch(batch);
        model.dispose();
      },
    };
  };

  it('gives the parameter gradients of a step whose Grad-CAM weights are materialised constants', () => {
    const r = run(S);
    try {
      expect(Math.abs(r.ours.total - r.ref.value.dataSync()[0]!)).toBeLessThan(1e-4);
      for (const name of r.names) {
        const a = r.ours.grads[name]!.dataSync(),
          b = r.ref.grads[name]!.dataSync();
        const scale = Math.max(...Array.from(b, Math.abs));
        expect(maxAbsDiff(a, b)).toBeLessThan(1e-3 * scale + 1e-6);
      }
      // the second-order (nested-tape) step is measurably different, so the comparison has teeth
      const k = r.names.find((n) => n.includes('logits') && n.includes('kernel'))!;
      expect(maxAbsDiff(r.nested.grads[k]!.dataSync(), r.ref.grads[k]!.dataSync())).toBeGreaterThan(1e-3);
    } finally {
      r.dispose();
    }
  });

  it('sends no gradient into the Grad-CAM weights (L_e alone does not move the classifier head)', () => {
    const r = run({ ...S, clWeight: 0, alpha: 0 });
    try {
      const head = r.names.filter((n) => n.includes('logits'));
      expect(head.length).toBe(2);
      for (const n of head) {
        const g = r.ours.grads[n];
        expect(g === undefined || g.abs().max().dataSync()[0] === 0).toBe(true);
      }
      // L_e reaches the head's kernel only through w (w_k ∝ W[k, c]): a second-order step moves it
      const kernel = head.find((n) => n.includes('kernel'))!;
      expect(r.nested.grads[kernel]!.abs().max().dataSync()[0]!).toBeGreaterThan(1e-6);
      const conv = r.ours.grads[r.names.find((n) => n.includes('conv2') && n.includes('kernel'))!]!;
      expect(conv.abs().max().dataSync()[0]!).toBeGreaterThan(0);
    } finally {
      r.dispose();
    }
  });

  it('makes one map per positive class in multi-label mode, and averages L_am over those pairs', () => {
    expect(camPairs(Float32Array.of(1, 0, 1, 0, 0, 1, 0, 0), 4)).toEqual({ index: [0, 0, 1], cls: [0, 2, 1] });
    const model = tinyCnn();
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const net = splitModel(model);
    const x = smokeSet(2).map((s) => s.x);
    const multi = { ...S, mode: 'multi' as const, amScore: 'sigmoid' as const, omegaE: 0, clWeight: 0 };
    const both = toBatch(tf, [{ x: x[0]!, labels: [0, 2] }], [16, 16, 3], 4);
    const one = (c: number) => toBatch(tf, [{ x: x[0]!, labels: [c] }], [16, 16, 3], 4);
    const [b0, b2] = [one(0), one(2)];
    const r = gainGradients(tf, net, both, multi, vars);
    const r0 = gainGradients(tf, net, b0, multi, vars);
    const r2 = gainGradients(tf, net, b2, multi, vars);
    expect(r.lossAm).toBeCloseTo((r0.lossAm + r2.lossAm) / 2, 5);
    for (const g of [r, r0, r2]) tf.dispose(g.grads);
    [both, b0, b2].forEach(disposeBatch);
    model.dispose();
  });

  it('keeps S_e-only samples out of L_cl and L_am', () => {
    const model = tinyCnn();
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const net = splitModel(model);
    const set = smokeSet(3);
    const main = toBatch(tf, set.slice(0, 2), [16, 16, 3], 4);
    const all = toBatch(tf, set, [16, 16, 3], 4);
    const r = gainGradients(tf, net, { ...all, eOnly: [false, false, true] }, S, vars);
    const m = gainGradients(tf, net, main, S, vars);
    const e = gainGradients(tf, net, all, { ...S, alpha: 0 }, vars);
    expect(r.lossCl).toBeCloseTo(m.lossCl, 5);
    expect(r.lossAm).toBeCloseTo(m.lossAm, 5);
    expect(r.lossE).toBeCloseTo(e.lossE, 5); // L_e still averages over all three masked samples
    expect(Math.abs(r.lossE - m.lossE)).toBeGreaterThan(1e-4);
    for (const g of [r, m, e]) tf.dispose(g.grads);
    [main, all].forEach(disposeBatch);
    model.dispose();
  });
  it("builds L_am's soft mask with the detached normaliser alone when detachNormalizerAm is set", () => {
    const model = tinyCnn();
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const net = splitModel(model);
    const batch = toBatch(tf, smokeSet(4), [16, 16, 3], 4);
    const step = (s: GainLossSettings) => gainGradients(tf, net, batch, { ...s, clWeight: 0 }, vars);
    const conv = vars.find((v) => v.name.includes('conv1') && v.name.includes('kernel'))!.name;
    const diff = (a: ReturnType<typeof step>, b: ReturnType<typeof step>) =>
      maxAbsDiff(a.grads[conv]!.dataSync(), b.grads[conv]!.dataSync());
    const amOnly = { ...S, omegaE: 0 };
    const split = step({ ...amOnly, detachNormalizerAm: true });
    const detached = step({ ...amOnly, detachNormalizer: true });
    const differentiable = step(amOnly);
    expect(split.lossAm).toBeCloseTo(differentiable.lossAm, 6); // same values, different gradients
    expect(diff(split, detached)).toBeLessThan(1e-6);
    expect(diff(split, differentiable)).toBeGreaterThan(1e-5);
    const eSplit = step({ ...S, alpha: 0, detachNormalizerAm: true });
    const eDefault = step({ ...S, alpha: 0 });
    expect(diff(eSplit, eDefault)).toBe(0); // L_e keeps the differentiable normaliser
    for (const g of [split, detached, differentiable, eSplit, eDefault]) tf.dispose(g.grads);
    disposeBatch(batch);
    model.dispose();
  });

  it("makes the map and map gradient of one min-max after the resize, as the prototype (PyTorch's amin/amax)", () => {
    const f = tf.randomNormal([3, 4, 4, 5], 0, 1, 'float32', 11) as tf.Tensor4D;
    const w = tf.randomNormal([3, 1, 1, 5], 0, 1, 'float32', 12) as tf.Tensor4D;
    const probe = tf.randomUniform([3, 16, 16], 0, 1, 'float32', 13);
    /** ReLU, resize, one min-max; `split`: min/max gradients shared among tied pixels as in PyTorch. */
    const single = (split: boolean) => (a: tf.Tensor4D) => {
      const r = resizeHalfPixel(resizeHalfPixel(tf.relu(tf.sum(tf.mul(a, w), -1)), 16, 1), 16, 2);
      const tied = (v: tf.Tensor) => tf.tensor(tf.cast(tf.equal(r, v), 'float32').dataSync(), r.shape);
      const pick = (m: tf.Tensor) => tf.div(tf.sum(tf.mul(r, m), [1, 2], true), tf.sum(m, [1, 2], true));
      const lo = split ? pick(tied(tf.min(r, [1, 2], true))) : tf.min(r, [1, 2], true);
      const hi = split ? pick(tied(tf.max(r, [1, 2], true))) : tf.max(r, [1, 2], true);
      return tf.div(tf.sub(r, lo), tf.add(tf.sub(hi, lo), 1e-7));
    };
    const ours = (a: tf.Tensor4D) => camMaps(tf, a, w, 16, 16, false).map;
    expect(maxAbsDiff(ours(f).dataSync(), single(true)(f).dataSync())).toBeLessThan(1e-5);
    const grad = (m: (a: tf.Tensor4D) => tf.Tensor) =>
      tf.grad((a: tf.Tensor) => tf.sum(tf.mul(m(a as tf.Tensor4D), probe)))(f);
    const [g1, g2, g3] = [grad(ours), grad(single(true)), grad(single(false))];
    const scale = g2.abs().max().dataSync()[0]!;
    expect(maxAbsDiff(g1.dataSync(), g2.dataSync())).toBeLessThan(1e-4 * scale);
    // a border peak is copied to several pixels by the edge-clamped resize; tfjs's max gradient would
    // count each copy in full, but the first min-max makes the second one's min and max inert
    expect(maxAbsDiff(g3.dataSync(), g2.dataSync())).toBeGreaterThan(1e-2 * scale);
    tf.dispose([f, w, probe, g1, g2, g3]);
  });
  it('with a frozen copy for S_am, L_am reaches the weights only through the soft mask', async () => {
    const model = tinyCnn();
    const copy = tinyCnn();
    copy.setWeights(model.getWeights());
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const batch = toBatch(tf, smokeSet(4), [16, 16, 3], 4);
    const s = { ...S, clWeight: 0, omegaE: 0 };
    const live = gainGradients(tf, splitModel(model), batch, s, vars);
    const frozen = gainGradients(tf, splitModel(model), batch, s, vars, splitModel(copy));
    expect(frozen.lossAm).toBeCloseTo(live.lossAm, 6);
    const max = (g?: tf.Tensor) => (g ? g.abs().max().dataSync()[0]! : 0);
    // the head is on L_am's path only through the S_am forward (w is constant)
    const head = vars.find((v) => v.name.includes('logits') && v.name.includes('kernel'))!.name;
    expect(max(live.grads[head])).toBeGreaterThan(1e-6);
    expect(max(frozen.grads[head])).toBe(0);
    const conv = vars.find((v) => v.name.includes('conv1') && v.name.includes('kernel'))!.name;
    expect(max(frozen.grads[conv])).toBeGreaterThan(0);
    tf.dispose([live.grads, frozen.grads] as never);
    disposeBatch(batch);
    model.dispose();
    copy.dispose();
  });
});
