import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, num } from '@gradscope/onnx-proto';
import { encodeWithExternalWeights } from '../src/external-weights.js';
import { OnnxGraph } from '../src/graph/onnx-graph.js';
import { fixtureBytes, npy, runtimes } from './helpers.js';

describe('encodeWithExternalWeights', () => {
  const bytes = fixtureBytes('resnet18');
  const graph = OnnxGraph.parse(bytes, 'resnet18');
  const model = graph.derive({ node: graph.nodeProtos(), output: [{ name: graph.outputName }] });

  it('points large initializers into the bytes they were decoded from, small ones stay inline', () => {
    const { bytes: encoded, externalData } = encodeWithExternalWeights(model);
    expect(externalData).toHaveLength(1);
    expect(externalData[0]!.data.buffer).toBe(bytes.buffer);
    const inits = decodeModel(encoded).graph!.initializer!;
    expect(inits.length).toBe(graph.initializers.size);
    let external = 0;
    for (const t of inits) {
      const original = graph.initializers.get(t.name!)!.rawData!;
      if (!t.externalData?.length) {
        expect(Array.from(t.rawData!)).toEqual(Array.from(original));
        continue;
      }
      external++;
      const at = Object.fromEntries(t.externalData.map((e) => [e.key, e.value]));
      expect(num(t.dataLocation)).toBe(1);
      expect(at['location']).toBe(externalData[0]!.path);
      const start = Number(at['offset']);
      expect(Array.from(bytes.subarray(start, start + Number(at['length'])))).toEqual(Array.from(original));
    }
    expect(external).toBeGreaterThan(0);
    expect(encoded.length).toBeLessThan(encodeModel(model).length / 10);
  });

  it('gives onnxruntime-node the same logits as the model encoded whole', async () => {
    const ort = runtimes.node;
    const x = npy('resnet18', 'input.npy');
    const run = async (b: Uint8Array, options: Record<string, unknown>) => {
      const s = await ort.InferenceSession.create(b, options);
      const out = await s.run({ [graph.inputName]: new ort.Tensor('float32', x.data as Float32Array, x.shape) });
      await s.release();
      return Array.from(out[graph.outputName]!.data as Float32Array);
    };
    const ext = encodeWithExternalWeights(model);
    expect(await run(ext.bytes, { externalData: ext.externalData })).toEqual(await run(encodeModel(model), {}));
  });
});
