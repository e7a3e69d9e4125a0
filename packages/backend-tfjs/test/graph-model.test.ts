import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { classTarget, softmaxTarget, topClass, type CaptureRequest, type Model, type ReluMode } from '@gradscope/core';
import { TfjsLayersModel, useTfjsBackend } from '../src/index.js';
import { tfjsNodeBackend } from '../src/node.js';
import { randomTensor, relErr } from './helpers.js';
import { writeTinyGraphModel, type TinyGraphWeights } from './model-files.js';

beforeAll(() => useTfjsBackend('wasm'));

const weights: TinyGraphWeights = {
  w1: randomTensor([3, 3, 2, 4], 31).data,
  b1: Float32Array.from([3, 2.5, 3.5, 3]), // positive: no ReLU zeros, so no ties in the max pool
  w2: randomTensor([4, 3], 32).data,
  b2: Float32Array.from([0.1, -0.2, 0.3]),
};

/** The same network as a LayersModel (its capture is checked against finite differences elsewhere). */
async function layersTwin(): Promise<TfjsLayersModel> {
  const inp = tf.input({ shape: [6, 6, 2] });
  const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv' });
  let x = conv.apply(inp) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  const fc = tf.layers.dense({ units: 3, activation: 'softmax', name: 'fc' });
  const m = tf.model({ inputs: inp, outputs: fc.apply(x) as tf.SymbolicTensor });
  conv.setWeights([tf.tensor4d(weights.w1, [3, 3, 2, 4]), tf.tensor1d(weights.b1)]);
  fc.setWeights([tf.tensor2d(weights.w2, [4, 3]), tf.tensor1d(weights.b2)]);
  return TfjsLayersModel.create(m);
}

describe('GraphModel (tfjs-converter format, hand-written GraphDef with fused ops)', () => {
  let graph: Model;
  let twin: TfjsLayersModel;
  beforeAll(async () => {
    graph = await tfjsNodeBackend.load(writeTinyGraphModel(weights));
    twin = await layersTwin();
    return async () => {
      await graph.dispose();
      twin.dispose();
    };
  });

  it('lists graph nodes with shapes and bypasses the final Softmax', async () => {
    expect(graph.layers.map((l) => [l.name, l.type])).toEqual([
      ['x', 'Placeholder'],
      ['conv', 'Relu'],
      ['pool', 'MaxPool'],
      ['gap', 'Mean'],
      ['logits', 'BiasAdd'],
    ]);
    expect(graph.layers[1]!.spatial).toEqual({ height: 6, width: 6, channels: 4 });
    expect(graph.numClasses).toBe(3);
    const x = randomTensor([2, 6, 6, 2], 33);
    expect(relErr((await graph.forward(x)).data, (await twin.forward(x)).data)).toBeLessThan(1e-5);
  });

  it('declares training and bias gradients for the LayersModel only (a GraphModel is frozen); the backend lists them', () => {
    for (const c of ['training', 'bias-gradients'] as const) {
      expect(tfjsNodeBackend.capabilities.has(c)).toBe(true);
      expect(twin.capabilities.has(c)).toBe(true);
      expect(graph.capabilities.has(c)).toBe(false);
    }
    const only = new Set(['training', 'linear-head', 'bias-gradients']);
    const rest = (m: Model) => [...m.capabilities].filter((c) => !only.has(c)).sort();
    expect(rest(graph)).toEqual(rest(twin));
  });

  it.each(['standard', 'guided', 'deconvnet'] as ReluMode[])(
    'capture (%s) equals the LayersModel twin: activations, layer and input gradients',
    async (reluMode) => {
      const x = randomTensor([2, 6, 6, 2], 34);
      const targets = [topClass(), classTarget(2)];
      for (const inputGradient of [false, true]) {
        const g = await graph.capture(x, { layers: ['conv'], gradients: true, inputGradient, targets, reluMode });
        const t = await twin.capture(x, { layers: ['conv'], gradients: true, inputGradient, targets, reluMode });
        expect(relErr(g.logits.data, t.logits.data)).toBeLessThan(1e-5);
        expect(g.targets.map((r) => r.classIndex)).toEqual(t.targets.map((r) => r.classIndex));
        expect(relErr(g.activations.get('conv')!.data, t.activations.get('conv')!.data)).toBeLessThan(1e-5);
        expect(g.activations.get('conv')!.shape).toEqual([2, 4, 6, 6]);
        expect(relErr(g.gradients.get('conv')!.data, t.gradients.get('conv')!.data)).toBeLessThan(1e-4);
        if (inputGradient) expect(relErr(g.inputGradient!.data, t.inputGradient!.data)).toBeLessThan(1e-4);
        else expect(g.inputGradient).toBeUndefined();
      }
    },
  );

  it('captureMany stacks the ReLU modes of input gradients (and a same-target layer gradient) into ONE capture, when asked', async () => {
    const x = randomTensor([2, 6, 6, 2], 36);
    graph.stackReluModes = true; // opt-in on GraphModels (see the field's comment)
    const targets = [topClass(), classTarget(2)];
    const requests: CaptureRequest[] = [
      { layers: ['conv'], gradients: true, inputGradient: false, targets },
      ...(['guided', 'deconvnet', 'standard'] as const).map((reluMode) => ({
        layers: [],
        gradients: false,
        inputGradient: true,
        reluMode,
        targets,
      })),
    ];
    const want = [];
    for (const r of requests) want.push(await graph.capture(x, r));
    const spy = vi.spyOn(graph, 'capture');
    const got = await graph.captureMany!(x, requests);
    graph.stackReluModes = false;
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.calls[0]![0].shape[0]).toBe(6);
    spy.mockRestore();
    got.forEach((h, i) => {
      const w = want[i]!;
      expect(h.targets).toEqual(w.targets);
      expect(relErr(h.logits.data, w.logits.data)).toBeLessThanOrEqual(1e-5);
      if (w.inputGradient) expect(relErr(h.inputGradient!.data, w.inputGradient.data)).toBeLessThanOrEqual(1e-5);
      else expect(relErr(h.gradients.get('conv')!.data, w.gradients.get('conv')!.data)).toBeLessThanOrEqual(1e-5);
    });
    // the modes really differ on this input, so a wrong block would show
    expect(relErr(want[1]!.inputGradient!.data, want[3]!.inputGradient!.data)).toBeGreaterThan(1e-2);
    expect(relErr(want[2]!.inputGradient!.data, want[3]!.inputGradient!.data)).toBeGreaterThan(1e-2);
    for (const h of got) h.dispose();
  });

  it('several layers in one capture, and runFromLayer', async () => {
    const x = randomTensor([1, 6, 6, 2], 35);
    const g = await graph.capture(x, {
      layers: ['conv', 'pool'],
      gradients: true,
      inputGradient: false,
      targets: [classTarget(1)],
    });
    const t = await twin.capture(x, {
      layers: ['conv', 'pool'],
      gradients: true,
      inputGradient: false,
      targets: [classTarget(1)],
    });
    for (const l of ['conv', 'pool'])
      expect(relErr(g.gradients.get(l)!.data, t.gradients.get(l)!.data), l).toBeLessThan(1e-4);
    const a = g.activations.get('pool')!;
    const same = await graph.runFromLayer!(x, 'pool', a);
    expect(relErr(same.data, g.logits.data)).toBeLessThan(1e-5);
    const zeroed = { data: a.data.map((v, i) => (i < 4 ? 0 : v)), shape: a.shape };
    expect(
      relErr((await graph.runFromLayer!(x, 'pool', zeroed)).data, (await twin.runFromLayer(x, 'pool', zeroed)).data),
    ).toBeLessThan(1e-5);
  });

  it('Hessian-vector products (softmax target) equal the LayersModel twin’s after the max pool; refused before it', async () => {
    const x = randomTensor([2, 6, 6, 2], 35);
    const req = {
      layers: ['pool'],
      gradients: true,
      inputGradient: false,
      hessianVector: true,
      targets: [softmaxTarget(), softmaxTarget(1)],
    };
    const [g, t] = [await graph.capture(x, req), await twin.capture(x, req)];
    for (const l of ['pool']) {
      const hv = t.hessianVectors!.get(l)!;
      expect(Math.max(...hv.data.map(Math.abs))).toBeGreaterThan(1e-4);
      expect(g.hessianVectors!.get(l)!.shape).toEqual(hv.shape);
      expect(relErr(g.hessianVectors!.get(l)!.data, hv.data)).toBeLessThan(1e-4);
    }
    g.dispose();
    t.dispose();
    // tfjs has no second-order gradient of max pooling (MaxPoolGrad): a typed refusal, on both model kinds
    for (const m of [graph, twin])
      await expect(m.capture(x, { ...req, layers: ['conv'] })).rejects.toMatchObject({ code: 'unsupported-model' });
  });
});
