import { beforeAll, describe, expect, it } from 'vitest';
import { classTarget, nchwToNhwc, seedTarget, softmaxTarget, topClass, type Tensor } from '@gradscope/core';
import * as tf from '@tensorflow/tfjs';
import { TfjsLayersModel, useTfjsBackend } from '../src/index.js';
import { cosine, nestedCnn, randomTensor, relErr, residualCnn, smallCnn } from './helpers.js';

beforeAll(() => useTfjsBackend('wasm'));

/**
 * Finite differences of `score` at `x`, one coordinate at a time (float32, step h). The nets are
 * piecewise linear, so an entry whose forward and backward one-sided differences disagree has a
 * kink inside the step and is dropped (NaN); elsewhere the central difference is exact up to
 * rounding.
 */
async function fdGradient(score: (x: Tensor) => Promise<number>, x: Tensor, h = 1e-2): Promise<Float32Array> {
  const g = new Float32Array(x.data.length);
  const s0 = await score(x);
  for (let i = 0; i < x.data.length; i++) {
    const p = Float32Array.from(x.data);
    p[i]! += h;
    const m = Float32Array.from(x.data);
    m[i]! -= h;
    const sp = await score({ data: p, shape: x.shape });
    const sm = await score({ data: m, shape: x.shape });
    const fwd = (sp - s0) / h;
    const bwd = (s0 - sm) / h;
    g[i] = Math.abs(fwd - bwd) > 1e-2 * (Math.abs(fwd) + Math.abs(bwd)) + 2e-4 ? NaN : (sp - sm) / (2 * h);
  }
  return g;
}

/** Compares an analytic gradient with {@link fdGradient} on the entries FD could measure. */
function expectMatchesFd(g: Float32Array, fd: Float32Array, what: string): void {
  const keep = [...fd.keys()].filter((i) => !Number.isNaN(fd[i]));
  expect(keep.length / fd.length, `${what}: entries measurable by FD`).toBeGreaterThan(0.75);
  const a = keep.map((i) => g[i]!);
  const b = keep.map((i) => fd[i]!);
  expect(cosine(a, b), what).toBeGreaterThan(0.999);
  expect(relErr(a, b), what).toBeLessThan(0.1);
}

const models = { small: () => smallCnn({ softmax: true }), residual: residualCnn, nested: nestedCnn };

describe.each(Object.entries(models))('%s model: gradients match finite differences', (_, make) => {
  it('input gradient and every spatial layer gradient, for a class, softmax and seed target', async () => {
    const model = await TfjsLayersModel.create(make());
    try {
      const x = randomTensor([1, 8, 8, 3], 3);
      const spatial = model.layers.filter((l) => l.spatial && l.type !== 'InputLayer').map((l) => l.name);
      const seed = Float32Array.from({ length: model.numClasses }, (_, i) => (i % 2 ? 0.5 : -1));
      for (const target of [classTarget(1), softmaxTarget(), seedTarget(seed)]) {
        const hook = await model.capture(x, {
          layers: spatial,
          gradients: true,
          inputGradient: true,
          targets: [target],
        });
        const scoreAt = async (xx: Tensor) => {
          const h = await model.capture(xx, { layers: [], gradients: false, inputGradient: false, targets: [target] });
          return h.targets[0]!.score;
        };
        const fd = await fdGradient(scoreAt, x);
        expectMatchesFd(hook.inputGradient!.data, fd, 'input');
        // layer gradients: FD of the score through runFromLayer along the layer's own coordinates
        for (const name of spatial) {
          const a = hook.activations.get(name)!;
          const g = hook.gradients.get(name)!;
          expect(a.shape).toEqual([1, a.shape[1], a.shape[2], a.shape[3]]);
          const info = model.layers.find((l) => l.name === name)!;
          expect(a.shape.slice(1)).toEqual([info.spatial!.channels, info.spatial!.height, info.spatial!.width]);
          const t = hook.targets[0]!;
          const scoreFrom = async (aa: Tensor) => {
            const logits = await model.runFromLayer(x, name, aa);
            if (target.kind === 'softmax') {
              const m = Math.max(...logits.data);
              const e = Array.from(logits.data, (v) => Math.exp(v - m));
              return e[t.classIndex!]! / e.reduce((p, q) => p + q, 0);
            }
            return logits.data.reduce((s, v, i) => s + v * t.seed[i]!, 0);
          };
          const fdA = await fdGradient(scoreFrom, a);
          expectMatchesFd(g.data, fdA, name);
        }
      }
    } finally {
      model.dispose();
    }
  });

  it('Grad-CAM path (layer gradient only) equals the full-tape result, batched with one target per image', async () => {
    const model = await TfjsLayersModel.create(make());
    try {
      const x = randomTensor([2, 8, 8, 3], 5);
      const last = model.layers.filter((l) => l.spatial && l.spatial.height > 1).at(-1)!.name;
      const targets = [topClass(), classTarget(0)];
      const fast = await model.capture(x, { layers: [last], gradients: true, inputGradient: false, targets });
      const full = await model.capture(x, { layers: [last], gradients: true, inputGradient: true, targets });
      expect(fast.inputGradient).toBeUndefined();
      expect(relErr(fast.gradients.get(last)!.data, full.gradients.get(last)!.data)).toBeLessThan(1e-5);
      expect(relErr(fast.activations.get(last)!.data, full.activations.get(last)!.data)).toBeLessThan(1e-5);
      // per-image: image 1's gradient equals a capture of image 1 alone
      const one = { data: x.data.slice(x.data.length / 2), shape: [1, 8, 8, 3] };
      const single = await model.capture(one, {
        layers: [last],
        gradients: true,
        inputGradient: false,
        targets: [classTarget(0)],
      });
      const g2 = full.gradients.get(last)!;
      const half = g2.data.length / 2;
      expect(relErr(g2.data.slice(half), single.gradients.get(last)!.data)).toBeLessThan(1e-5);
      expect(full.targets[1]!.classIndex).toBe(0);
    } finally {
      model.dispose();
    }
  });
});

describe('stock tfjs autograd (cpu backend) as reference', () => {
  it.each(Object.entries(models))('%s: input gradient equals tf.grad through model.apply', async (_, make) => {
    const m = make();
    const x = randomTensor([2, 8, 8, 3], 21);
    await useTfjsBackend('cpu');
    try {
      const model = await TfjsLayersModel.create(m);
      const k = model.numClasses;
      const seeds = tf.tensor2d(
        [
          ...Array.from({ length: k }, (_, i) => (i === 1 ? 1 : 0)),
          ...Array.from({ length: k }, (_, i) => (i === 0 ? 1 : 0)),
        ],
        [2, k],
      );
      // logits of the stock model: undo the bypassed softmax by taking the Dense pre-activation
      const logitsModel = model.bypassedActivation
        ? tf.model({ inputs: m.inputs, outputs: m.getLayer('fc').input as tf.SymbolicTensor })
        : m;
      const wrapped = (xx: tf.Tensor) => {
        const fc = m.getLayer('fc') as tf.layers.Layer & { kernel: tf.LayerVariable; bias: tf.LayerVariable };
        const z = logitsModel.apply(xx, { training: false }) as tf.Tensor;
        const logits = model.bypassedActivation
          ? tf.add(tf.matMul(z as tf.Tensor2D, fc.kernel.read() as tf.Tensor2D), fc.bias.read())
          : z;
        return tf.sum(tf.mul(logits, seeds));
      };
      const stock = tf.grad(wrapped)(tf.tensor(x.data, x.shape)).dataSync();
      const hook = await model.capture(x, {
        layers: [],
        gradients: false,
        inputGradient: true,
        targets: [classTarget(1), classTarget(0)],
      });
      expect(relErr(hook.inputGradient!.data, stock)).toBeLessThan(1e-4);
      tf.dispose(seeds);
      model.dispose();
    } finally {
      await useTfjsBackend('wasm');
    }
  });
});

describe('layout', () => {
  it('activations are channels-first copies of the NHWC layer output', async () => {
    const model = await TfjsLayersModel.create(smallCnn());
    try {
      const x = randomTensor([1, 8, 8, 3], 9);
      const hook = await model.capture(x, {
        layers: ['image', 'conv1'],
        gradients: false,
        inputGradient: false,
        targets: [topClass()],
      });
      expect(nchwToNhwc(hook.activations.get('image')!).data).toEqual(x.data);
      expect(hook.activations.get('conv1')!.shape).toEqual([1, 4, 8, 8]);
      // nothing to differentiate: logits and targets only
      const none = await model.capture(x, {
        layers: [],
        gradients: true,
        inputGradient: false,
        targets: [classTarget(2)],
      });
      expect(none.gradients.size + none.activations.size).toBe(0);
      expect(none.targets[0]!.score).toBeCloseTo(none.logits.data[2]!, 5);
    } finally {
      model.dispose();
    }
  });
});
