import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { isGradscopeError } from '@gradscope/core';
import { convertLayersModel, UnsupportedLayerError, type LayersModelArtifacts } from '../src/index.js';
import { saveArtifacts } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type ST = tf.SymbolicTensor;

/** input → conv → `layer` → GAP → dense, saved. */
async function withLayer(layer: tf.layers.Layer): Promise<LayersModelArtifacts> {
  const inp = tf.input({ shape: [8, 8, 3], name: 'image' });
  let x = tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', name: 'conv' }).apply(inp) as ST;
  x = layer.apply(x) as ST;
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as ST;
  const out = tf.layers.dense({ units: 2, name: 'fc' }).apply(x) as ST;
  return saveArtifacts(tf.model({ inputs: inp, outputs: out }));
}

function expectUnsupported(f: () => unknown, layerClass: string, layerName: string, detail: RegExp): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(UnsupportedLayerError);
  expect(isGradscopeError(err, 'unsupported-model')).toBe(true);
  const e = err as UnsupportedLayerError;
  expect(e.layerClass).toBe(layerClass);
  expect(e.layerName).toBe(layerName);
  expect(e.message).toContain(`'${layerName}' (${layerClass})`);
  expect(e.message).toMatch(detail);
}

describe('unsupported layers and settings are refused with the layer class and name', () => {
  it('an unknown layer class lists the supported ones', async () => {
    const a = await withLayer(tf.layers.upSampling2d({ size: [2, 2], name: 'up' }));
    expectUnsupported(
      () => convertLayersModel(a),
      'UpSampling2D',
      'up',
      /supported: InputLayer, Conv2D, DepthwiseConv2D/,
    );
  });
  it('SeparableConv2D', async () => {
    const a = await withLayer(tf.layers.separableConv2d({ filters: 2, kernelSize: 3, padding: 'same', name: 'sep' }));
    expectUnsupported(() => convertLayersModel(a), 'SeparableConv2D', 'sep', /unsupported layer class/);
  });
  it('an unsupported activation, fused or as a layer', async () => {
    const a = await withLayer(tf.layers.activation({ activation: 'elu', name: 'act' }));
    expectUnsupported(() => convertLayersModel(a), 'Activation', 'act', /activation 'elu' is not supported/);
    const b = await withLayer(tf.layers.conv2d({ filters: 2, kernelSize: 1, activation: 'selu', name: 'c2' }));
    expectUnsupported(() => convertLayersModel(b), 'Conv2D', 'c2', /activation 'selu'/);
  });
  it("only 'same'/'valid' padding and channels_last", async () => {
    const a = await withLayer(tf.layers.conv2d({ filters: 2, kernelSize: 1, name: 'c3' }));
    const topo = JSON.parse(JSON.stringify(a.modelTopology));
    topo.config.layers.find((l: { name: string }) => l.name === 'c3').config.data_format = 'channels_first';
    expectUnsupported(
      () => convertLayersModel({ ...a, modelTopology: topo }),
      'Conv2D',
      'c3',
      /data_format 'channels_first'/,
    );
    topo.config.layers.find((l: { name: string }) => l.name === 'c3').config.data_format = 'channels_last';
    topo.config.layers.find((l: { name: string }) => l.name === 'c3').config.padding = 'causal';
    expectUnsupported(() => convertLayersModel({ ...a, modelTopology: topo }), 'Conv2D', 'c3', /padding 'causal'/);
  });
  it('Dense on a feature map (no flatten/pooling)', async () => {
    const inp = tf.input({ shape: [4, 4, 3], name: 'image' });
    const out = tf.layers.dense({ units: 2, name: 'fc4d' }).apply(inp) as ST;
    const a = await saveArtifacts(tf.model({ inputs: inp, outputs: out }));
    expectUnsupported(() => convertLayersModel(a), 'Dense', 'fc4d', /rank-4 input/);
  });
  it('nested models', async () => {
    const inner = tf.sequential({
      name: 'inner',
      layers: [tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 2, kernelSize: 3, name: 'ic' })],
    });
    const inp = tf.input({ shape: [8, 8, 3], name: 'image' });
    let x = inner.apply(inp) as ST;
    x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as ST;
    const out = tf.layers.dense({ units: 2, name: 'fc' }).apply(x) as ST;
    const a = await saveArtifacts(tf.model({ inputs: inp, outputs: out }));
    expectUnsupported(() => convertLayersModel(a), 'Sequential', 'inner', /nested models/);
  });
  it('a non-image input', async () => {
    const inp = tf.input({ shape: [5], name: 'vec' });
    const out = tf.layers.dense({ units: 2, name: 'fc' }).apply(inp) as ST;
    const a = await saveArtifacts(tf.model({ inputs: inp, outputs: out }));
    expectUnsupported(() => convertLayersModel(a), 'InputLayer', 'vec', /not an image batch/);
  });
});

describe('malformed artifacts are ModelLoadErrors', () => {
  it('weight bytes that do not match the manifest', async () => {
    const a = await withLayer(tf.layers.reLU({ name: 'r' }));
    const bytes = a.weightData as Uint8Array;
    expect(() => convertLayersModel({ ...a, weightData: bytes.subarray(0, bytes.length - 4) })).toThrow(
      /weight data too short: 'fc\/bias'/,
    );
    expect(() => convertLayersModel({ ...a, weightData: new Uint8Array(bytes.length + 4) })).toThrow(/describes/);
    let err: unknown;
    try {
      convertLayersModel({ ...a, weightData: bytes.subarray(0, 8) });
    } catch (e) {
      err = e;
    }
    expect(isGradscopeError(err, 'model-load')).toBe(true);
  });
  it('a weight missing from the manifest names the layer and weight', async () => {
    const a = await withLayer(tf.layers.reLU({ name: 'r' }));
    const specs = a.weightSpecs.filter((s) => s.name !== 'conv/kernel');
    const skip = a.weightSpecs.find((s) => s.name === 'conv/kernel')!;
    const n = skip.shape.reduce((x, y) => x * y, 1) * 4;
    const off = a.weightSpecs
      .slice(0, a.weightSpecs.indexOf(skip))
      .reduce((x, s) => x + s.shape.reduce((p, q) => p * q, 1) * 4, 0);
    const b = a.weightData as Uint8Array;
    const data = new Uint8Array([...b.subarray(0, off), ...b.subarray(off + n)]);
    expectUnsupported(
      () => convertLayersModel({ ...a, weightSpecs: specs, weightData: data }),
      'Conv2D',
      'conv',
      /weight 'conv\/kernel' is missing/,
    );
  });
  it('two inputs, a shared layer, a non-model topology', async () => {
    const i1 = tf.input({ shape: [4, 4, 1], name: 'i1' });
    const i2 = tf.input({ shape: [4, 4, 1], name: 'i2' });
    const sum = tf.layers.add({ name: 'sum' }).apply([i1, i2]) as ST;
    const a = await saveArtifacts(tf.model({ inputs: [i1, i2], outputs: sum }));
    expect(() => convertLayersModel(a)).toThrow(/2 inputs and 1 outputs/);
    const inp = tf.input({ shape: [4, 4, 1], name: 'image' });
    const shared = tf.layers.conv2d({ filters: 1, kernelSize: 1, name: 'shared' });
    const out = shared.apply(shared.apply(inp)) as ST;
    const b = await saveArtifacts(tf.model({ inputs: inp, outputs: out }));
    expectUnsupported(() => convertLayersModel(b), 'Conv2D', 'shared', /shared \(applied 2 times\)/);
    expect(() => convertLayersModel({ ...b, modelTopology: { format: 'graph-model' } })).toThrow(
      /not a Keras model description/,
    );
  });
});
