import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeBatch, gainGradients, splitModel, toBatch } from '../src/index.js';
import { wasmTraining } from './helpers.js';

interface Arr {
  shape: number[];
  data: number[];
}
/** Written by scripts/torch-reference.py (float64 torch autograd). */
const ref = JSON.parse(readFileSync(new URL('./fixtures/gain-step.json', import.meta.url), 'utf8')) as {
  settings: { alpha: number; omegaE: number; sigma: number; omega: number; size: number; classes: number };
  x: Arr;
  labels: number[];
  masks: number[][];
  hasMask: boolean[];
  weights: Record<string, Arr>;
  loss: { cl: number; am: number; e: number; total: number };
  grads: Record<string, Arr>;
};

function tinyNet(): tf.LayersModel {
  const { size: S, classes: K } = ref.settings;
  const conv = (name: string) =>
    tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name });
  const m = tf.sequential({
    layers: [
      tf.layers.inputLayer({ inputShape: [S, S, 3] }),
      conv('conv1'),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
      conv('conv2'),
      tf.layers.globalAveragePooling2d({ name: 'gap' }),
      tf.layers.dense({ units: K, name: 'logits' }),
    ],
  });
  for (const name of ['conv1', 'conv2', 'logits']) {
    const w = ['kernel', 'bias'].map((k) => ref.weights[`${name}/${k}`]!);
    m.getLayer(name).setWeights(w.map((a) => tf.tensor(a.data, a.shape)));
  }
  return m;
}

describe('one GAIN_ext step against PyTorch autograd', () => {
  let undo: () => void;
  beforeAll(async () => (undo = await wasmTraining()));
  afterAll(() => undo());

  it('has the same losses and parameter gradients', () => {
    const model = tinyNet();
    const { size: S, classes: K } = ref.settings;
    const n = S * S * 3;
    const samples = ref.labels.map((label, i) => ({
      x: Float32Array.from(ref.x.data.slice(i * n, (i + 1) * n)),
      label,
      ...(ref.hasMask[i] ? { mask: ref.masks[i]! } : {}),
    }));
    const batch = toBatch(tf, samples, [S, S, 3], K);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const r = gainGradients(
      tf,
      splitModel(model, 'conv2'),
      batch,
      { ...ref.settings, mode: 'single', clWeight: 1, amScore: 'softmax', detachNormalizer: false, eraseValue: 0 },
      vars,
    );
    expect(r.lossCl).toBeCloseTo(ref.loss.cl, 5);
    expect(r.lossAm).toBeCloseTo(ref.loss.am, 5);
    expect(r.lossE).toBeCloseTo(ref.loss.e, 5);
    expect(r.total).toBeCloseTo(ref.loss.total, 4);
    for (const [name, want] of Object.entries(ref.grads)) {
      const v = vars.find((x) => x.name.startsWith(`${name.split('/')[0]}/`) && x.name.includes(name.split('/')[1]!))!;
      const got = r.grads[v.name]!;
      expect(got.shape).toEqual(want.shape);
      const scale = Math.max(...want.data.map(Math.abs));
      const err = Math.max(...Array.from(got.dataSync(), (g, i) => Math.abs(g - want.data[i]!)));
      expect(err, name).toBeLessThan(2e-4 * scale + 1e-6);
    }
    tf.dispose(r.grads);
    disposeBatch(batch);
    model.dispose();
  });
});
