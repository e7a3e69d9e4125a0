import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** Saves a LayersModel as model.json + weights.bin in a fresh temp folder; returns model.json's path. */
export async function saveToDir(model: tf.LayersModel, sidecar?: unknown): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'gradscope-tfjs-'));
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const data = Array.isArray(a.weightData)
        ? Buffer.concat(a.weightData.map((b) => Buffer.from(b)))
        : Buffer.from(a.weightData as ArrayBuffer);
      writeFileSync(join(dir, 'weights.bin'), data);
      writeFileSync(
        join(dir, 'model.json'),
        JSON.stringify({
          modelTopology: a.modelTopology,
          format: a.format,
          generatedBy: a.generatedBy,
          convertedBy: a.convertedBy,
          weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
        }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (sidecar !== undefined)
    writeFileSync(join(dir, 'model.gradscope.json'), typeof sidecar === 'string' ? sidecar : JSON.stringify(sidecar));
  return join(dir, 'model.json');
}

const b64 = (s: string) => Buffer.from(s).toString('base64');
const T = { type: 'DT_FLOAT' };
const ints = (...v: number[]) => ({ list: { i: v.map(String) } });
const constNode = (name: string, shape: number[], dtype = 'DT_FLOAT') => ({
  name,
  op: 'Const',
  attr: {
    dtype: { type: dtype },
    value: { tensor: { dtype, tensorShape: { dim: shape.map((d) => ({ size: String(d) })) } } },
  },
});

export interface TinyGraphWeights {
  w1: Float32Array; // [3, 3, 2, 4]
  b1: Float32Array; // [4]
  w2: Float32Array; // [4, 3]
  b2: Float32Array; // [3]
}

/**
 * Writes a tfjs-converter GraphModel by hand: x [-1, 6, 6, 2] → _FusedConv2D(3×3, SAME, BiasAdd+Relu)
 * → MaxPool 2×2 → Mean over H, W → _FusedMatMul(BiasAdd) 'logits' → Softmax 'probs' (or `head`), then
 * one node per entry of `after` (e.g. the `Identity` tfjs-converter appends), named `out0`, `out1`, ….
 */
export function writeTinyGraphModel(
  w: TinyGraphWeights,
  head: 'Softmax' | 'Sigmoid' = 'Softmax',
  after: readonly string[] = [],
): string {
  const dir = mkdtempSync(join(tmpdir(), 'gradscope-graph-'));
  const node = [
    {
      name: 'x',
      op: 'Placeholder',
      attr: { dtype: T, shape: { shape: { dim: [-1, 6, 6, 2].map((d) => ({ size: String(d) })) } } },
    },
    constNode('w1', [3, 3, 2, 4]),
    constNode('b1', [4]),
    constNode('w2', [4, 3]),
    constNode('b2', [3]),
    constNode('axes', [2], 'DT_INT32'),
    {
      name: 'conv',
      op: '_FusedConv2D',
      input: ['x', 'w1', 'b1'],
      attr: {
        T,
        strides: ints(1, 1, 1, 1),
        dilations: ints(1, 1, 1, 1),
        padding: { s: b64('SAME') },
        data_format: { s: b64('NHWC') },
        fused_ops: { list: { s: [b64('BiasAdd'), b64('Relu')] } },
        num_args: { i: '1' },
        epsilon: { f: 0 },
      },
    },
    {
      name: 'pool',
      op: 'MaxPool',
      input: ['conv'],
      attr: {
        T,
        ksize: ints(1, 2, 2, 1),
        strides: ints(1, 2, 2, 1),
        padding: { s: b64('VALID') },
        data_format: { s: b64('NHWC') },
      },
    },
    {
      name: 'gap',
      op: 'Mean',
      input: ['pool', 'axes'],
      attr: { T, Tidx: { type: 'DT_INT32' }, keep_dims: { b: false } },
    },
    {
      name: 'logits',
      op: '_FusedMatMul',
      input: ['gap', 'w2', 'b2'],
      attr: {
        T,
        transpose_a: { b: false },
        transpose_b: { b: false },
        fused_ops: { list: { s: [b64('BiasAdd')] } },
        num_args: { i: '1' },
        epsilon: { f: 0 },
      },
    },
    { name: 'probs', op: head, input: ['logits'], attr: { T } },
    ...after.map((op, i) => ({ name: `out${i}`, op, input: [i === 0 ? 'probs' : `out${i - 1}`], attr: { T } })),
  ];
  const weights = [
    { name: 'w1', shape: [3, 3, 2, 4], dtype: 'float32' },
    { name: 'b1', shape: [4], dtype: 'float32' },
    { name: 'w2', shape: [4, 3], dtype: 'float32' },
    { name: 'b2', shape: [3], dtype: 'float32' },
    { name: 'axes', shape: [2], dtype: 'int32' },
  ];
  const bytes = Buffer.concat(
    [w.w1, w.b1, w.w2, w.b2, new Int32Array([1, 2])].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)),
  );
  writeFileSync(join(dir, 'weights.bin'), bytes);
  writeFileSync(
    join(dir, 'model.json'),
    JSON.stringify({
      format: 'graph-model',
      generatedBy: 'hand-written',
      convertedBy: 'gradscope test',
      modelTopology: { node, library: {}, versions: {} },
      weightsManifest: [{ paths: ['weights.bin'], weights }],
    }),
  );
  return join(dir, 'model.json');
}
