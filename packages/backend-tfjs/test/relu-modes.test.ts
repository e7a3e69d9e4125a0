import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { ReluMode } from '@gradscope/core';
import { classTarget } from '@gradscope/core';
import { reluBackward, TfjsLayersModel, useTfjsBackend } from '../src/index.js';
import { randomTensor, relErr } from './helpers.js';

/**
 * x [1, 2, 2, 4] → 1×1 conv (relu fused) → 1×1 conv → ReLU(max 6) → GAP → dense. Each pixel is a
 * small MLP, so the input gradient under each ReLU rule is computed here by hand.
 */
function tinyNet() {
  const r = (shape: number[], seed: number, scale: number) =>
    tf.tensor(
      randomTensor(shape, seed).data.map((v) => v * scale),
      shape,
    );
  const inp = tf.input({ shape: [2, 2, 4] });
  const c1 = tf.layers.conv2d({ filters: 5, kernelSize: 1, activation: 'relu', name: 'c1' });
  const c2 = tf.layers.conv2d({ filters: 4, kernelSize: 1, name: 'c2' });
  const fc = tf.layers.dense({ units: 3, name: 'fc' });
  let x = c1.apply(inp) as tf.SymbolicTensor;
  x = c2.apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ maxValue: 6, name: 'r6' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: inp, outputs: fc.apply(x) as tf.SymbolicTensor });
  const W1 = r([1, 1, 4, 5], 41, 1.5),
    b1 = r([5], 42, 0.5),
    W2 = r([1, 1, 5, 4], 43, 4),
    b2 = r([4], 44, 2),
    W3 = r([4, 3], 45, 1),
    b3 = r([3], 46, 0.1);
  c1.setWeights([W1, b1]);
  c2.setWeights([W2, b2]);
  fc.setWeights([W3, b3]);
  const arr = (t: tf.Tensor) => Array.from(t.dataSync());
  return { model, w1: arr(W1), b1: arr(b1), w2: arr(W2), b2: arr(b2), w3: arr(W3) };
}

function rule(mode: ReluMode, d: number, z: number, max = Infinity): number {
  if (mode === 'deconvnet') return Math.max(d, 0);
  const pass = z > 0 && z < max && (mode !== 'guided' || d > 0);
  return pass ? d : 0;
}

/** Hand-computed d y[c] / d x under `mode`, and how many pre-activations fall in each regime. */
function expected(net: ReturnType<typeof tinyNet>, x: Float32Array, c: number, mode: ReluMode) {
  const out = new Float32Array(16);
  let saturated = 0;
  let negGrad = 0;
  for (let p = 0; p < 4; p++) {
    const xp = x.subarray(p * 4, p * 4 + 4);
    const z1 = Array.from({ length: 5 }, (_, j) => net.b1[j]! + xp.reduce((s, v, i) => s + v * net.w1[i * 5 + j]!, 0));
    const h1 = z1.map((v) => Math.max(v, 0));
    const z2 = Array.from({ length: 4 }, (_, k) => net.b2[k]! + h1.reduce((s, v, j) => s + v * net.w2[j * 4 + k]!, 0));
    const dh2 = Array.from({ length: 4 }, (_, k) => net.w3[k * 3 + c]! / 4);
    const dz2 = dh2.map((d, k) => rule(mode, d, z2[k]!, 6));
    saturated += z2.filter((v) => v >= 6).length;
    const dh1 = Array.from({ length: 5 }, (_, j) => dz2.reduce((s, d, k) => s + d * net.w2[j * 4 + k]!, 0));
    negGrad += dh1.filter((d, j) => d < 0 && z1[j]! > 0).length;
    const dz1 = dh1.map((d, j) => rule(mode, d, z1[j]!));
    for (let i = 0; i < 4; i++) out[p * 4 + i] = dz1.reduce((s, d, j) => s + d * net.w1[i * 5 + j]!, 0);
  }
  return { grad: out, saturated, negGrad };
}

describe('ReLU backward modes match the hand-computed rules (fused relu, ReLU6 layer)', () => {
  const net = tinyNet();
  let model: TfjsLayersModel;
  beforeAll(async () => {
    await useTfjsBackend('wasm');
    model = await TfjsLayersModel.create(net.model);
  });
  afterAll(() => model.dispose());

  it.each(['standard', 'guided', 'deconvnet'] as ReluMode[])('%s', async (mode) => {
    const x = randomTensor([1, 2, 2, 4], 47, -2, 2);
    let sawSaturation = false;
    let sawNegative = false;
    for (const c of [0, 1, 2]) {
      const hook = await model.capture(x, {
        layers: ['c1'],
        gradients: true,
        inputGradient: true,
        reluMode: mode,
        targets: [classTarget(c)],
      });
      const e = expected(net, x.data, c, mode);
      sawSaturation ||= e.saturated > 0;
      sawNegative ||= e.negGrad > 0;
      expect(relErr(hook.inputGradient!.data, e.grad)).toBeLessThan(1e-4);
    }
    // the fixture exercises the interesting cases: a saturated ReLU6 and a negative gradient at a live ReLU
    expect(sawSaturation).toBe(true);
    expect(sawNegative).toBe(true);
  });

  it('the registered Relu gradient is restored after a guided capture', async () => {
    const before = tf.getGradient('Relu')!.gradFunc;
    await model.capture(randomTensor([1, 2, 2, 4], 48), {
      layers: [],
      gradients: false,
      inputGradient: true,
      reluMode: 'guided',
      targets: [classTarget(0)],
    });
    expect(tf.getGradient('Relu')!.gradFunc).toBe(before);
    const g = tf
      .grad((v: tf.Tensor) => tf.sum(tf.mul(tf.relu(v), tf.tensor1d([-1, 1]))))(tf.tensor1d([1, 1]))
      .dataSync();
    expect(Array.from(g)).toEqual([-1, 1]);
  });
});

describe('reluBackward with one mode per row block', () => {
  beforeAll(() => useTfjsBackend('wasm'));

  it.each([null, 6])('equals each block under its own mode (max %s)', (max) => {
    const modes: ReluMode[] = ['standard', 'guided', 'deconvnet', 'guided'];
    const shape = [2 * modes.length, 3, 3, 5];
    const x = tf.tensor(randomTensor(shape, 61, -8, 8).data, shape);
    const dy = tf.tensor(randomTensor(shape, 62, -2, 2).data, shape);
    const got = reluBackward(dy, x, modes, max);
    const want = tf.concat(
      modes.map((m, b) => reluBackward(dy.slice(2 * b, 2), x.slice(2 * b, 2), m, max)),
      0,
    );
    // masks are 0/1 products: the same numbers (a deconvnet zero may come out as −0)
    expect(Array.from(got.dataSync()).map((v) => v + 0)).toEqual(Array.from(want.dataSync()).map((v) => v + 0));
    tf.dispose([x, dy, got, want]);
  });

  it('rejects a batch that does not split into the blocks', () => {
    const t = tf.ones([4, 2]);
    expect(() => reluBackward(t, t, ['standard', 'guided', 'deconvnet'])).toThrow(RangeError);
    t.dispose();
  });
});
