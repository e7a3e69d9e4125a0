import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { convertLayersModel, decodeModel, decodeWeights, loadModelJson } from '../src/index.js';
import { convertModelFile } from '../src/node.js';
import {
  init,
  maxAbsDiff,
  nhwcToNchw,
  onnxOutputs,
  randomTensor,
  resetInit,
  saveArtifacts,
  tfjsOutputs,
} from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type ST = tf.SymbolicTensor;
const dir = mkdtempSync(join(tmpdir(), 'tfjs-to-onnx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function smallNet(size: number | null): tf.LayersModel {
  resetInit(7);
  const inp = tf.input({ shape: [size, size, 3], name: 'image' });
  let x = tf.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: init(),
      biasInitializer: init(),
      name: 'conv1',
    })
    .apply(inp) as ST;
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', name: 'pool1' }).apply(x) as ST;
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as ST;
  const out = tf.layers
    .dense({ units: 3, kernelInitializer: init(), biasInitializer: init(), name: 'fc' })
    .apply(x) as ST;
  return tf.model({ inputs: inp, outputs: out, name: 'small' });
}

describe('weights', () => {
  it('every tfjs weight becomes an initializer of the same name with bit-identical values (kernels permuted to ONNX layout)', async () => {
    const m = smallNet(9);
    const a = await saveArtifacts(m);
    const onnx = decodeModel(convertLayersModel(a).bytes);
    const inits = new Map(onnx.graph!.initializer!.map((t) => [t.name!, t]));
    for (const w of m.weights) {
      const t = inits.get(w.originalName)!;
      expect(t, w.originalName).toBeDefined();
      const r = t.rawData!;
      const got = new Float32Array(r.buffer.slice(r.byteOffset, r.byteOffset + r.byteLength));
      const v = w.read();
      const want = (w.shape.length === 4 ? tf.transpose(v, [3, 2, 0, 1]) : v).dataSync();
      expect(Array.from(t.dims!, Number)).toEqual(
        w.shape.length === 4 ? [w.shape[3], w.shape[2], w.shape[0], w.shape[1]] : w.shape,
      );
      expect(got).toEqual(want);
    }
  });

  it('decodes quantised uint8/uint16 (v·scale + min) and float16 weights', () => {
    const bytes = new Uint8Array([
      0, 10, 255, /* uint16 LE */ 0x10, 0x00, 0xff, 0xff, /* float16 LE: 1, −2, 0.5, 2^-24 */ 0x00, 0x3c, 0x00, 0xc0,
      0x00, 0x38, 0x01, 0x00,
    ]);
    const w = decodeWeights(
      [
        { name: 'a', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
        { name: 'b', shape: [2], dtype: 'float32', quantization: { dtype: 'uint16', scale: 2, min: 1 } },
        { name: 'c', shape: [2, 2], dtype: 'float32', quantization: { dtype: 'float16' } },
      ],
      bytes,
    );
    expect([...w.get('a')!.values]).toEqual([-1, 4, 126.5]);
    expect([...w.get('b')!.values]).toEqual([33, 131071]);
    expect([...w.get('c')!.values]).toEqual([1, -2, 0.5, Math.fround(2 ** -24)]);
  });
});

describe('model.json on disk', () => {
  it('a model.json with weights split over two shards (two manifest groups) converts to the same ONNX bytes; convertModelFile writes them', async () => {
    const m = smallNet(9);
    const a = await saveArtifacts(m);
    const data = a.weightData as Uint8Array;
    const first = a.weightSpecs.slice(0, 2);
    const cut = first.reduce((n, s) => n + s.shape.reduce((p, q) => p * q, 1) * 4, 0);
    writeFileSync(join(dir, 'g1.bin'), data.subarray(0, 10));
    writeFileSync(join(dir, 'g2.bin'), data.subarray(10, cut));
    writeFileSync(join(dir, 'g3.bin'), data.subarray(cut));
    const json = {
      format: 'layers-model',
      modelTopology: a.modelTopology,
      weightsManifest: [
        { paths: ['g1.bin', 'g2.bin'], weights: first },
        { paths: ['g3.bin'], weights: a.weightSpecs.slice(2) },
      ],
    };
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    const r = await convertModelFile(join(dir, 'model.json'), join(dir, 'model.onnx'));
    expect(new Uint8Array(readFileSync(join(dir, 'model.onnx')))).toEqual(convertLayersModel(a).bytes);
    expect(r.output.name).toBe('fc');
    const viaJson = await loadModelJson(JSON.stringify(json), async (p) => new Uint8Array(readFileSync(join(dir, p))));
    expect(viaJson.weightData).toEqual(data);
    await expect(convertModelFile(join(dir, 'missing.json'), join(dir, 'x.onnx'))).rejects.toThrow(/file not found/);
    await expect(
      loadModelJson('{"format":"graph-model","modelTopology":{},"weightsManifest":[]}', async () => new Uint8Array()),
    ).rejects.toThrow(/graph models are not supported/);
  });

  it('a dynamic input size uses auto_pad SAME_UPPER for strided same windows, and still matches tfjs at two sizes', async () => {
    const m = smallNet(null);
    const r = convertLayersModel(await saveArtifacts(m));
    expect(r.input.shape).toEqual([null, 3, null, null]);
    const conv = decodeModel(r.bytes).graph!.node!.find((n) => n.opType === 'Conv')!;
    expect(conv.attribute!.find((x) => x.name === 'auto_pad')).toBeDefined();
    for (const size of [9, 10]) {
      const x = randomTensor([1, size, size, 3], size);
      const want = tfjsOutputs(m, x, ['conv1', 'pool1', 'fc']);
      const got = await onnxOutputs(r.bytes, nhwcToNchw(x), ['conv1', 'pool1', 'fc']);
      for (const n of ['conv1', 'pool1', 'fc']) {
        expect(got.get(n)!.shape).toEqual(want.get(n)!.shape);
        expect(maxAbsDiff(got.get(n)!.data, want.get(n)!.data), `${n} at ${size}`).toBeLessThanOrEqual(1e-4);
      }
    }
  });
});
