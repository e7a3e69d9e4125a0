import { describe, expect, it } from 'vitest';
import { classTarget, createGradscope, nchwToNhwc } from '@gradscope/core';
import { builtinMethods } from '@gradscope/methods';
import { createOnnxBackend } from '../src/index.js';
import { decodeModel, encodeModel } from '@gradscope/onnx-proto';
import { compare, runtimes } from './helpers.js';
import { TinyGraph } from './tiny-model.js';

/**
 * A channels-last input ([N, H, W, C], as tf2onnx exports Keras models: a Transpose to NCHW before
 * the first Conv) against its channels-first twin with the same weights: the same logits, layers
 * and CAMs, and an input gradient that is the twin's transposed to NHWC.
 */
function twin(layout: 'NCHW' | 'NHWC') {
  const [C, H, W] = [3, 9, 8];
  const g = new TinyGraph(layout === 'NHWC' ? [1, H, W, C] : [1, C, H, W]);
  const x = layout === 'NHWC' ? g.op('Transpose', [g.x], { perm: [0, 3, 1, 2] }) : g.x;
  const conv = g.op('Relu', [
    g.op('Conv', [x, g.f(TinyGraph.random(6 * C * 9, 3), [6, C, 3, 3])], { pads: [1, 1, 1, 1] }),
  ]);
  const pooled = g.op('Flatten', [g.op('GlobalAveragePool', [conv])], { axis: 1 });
  return g.bytes(g.op('Gemm', [pooled, g.f(TinyGraph.random(5 * 6, 8), [5, 6])], { transB: 1 }), { flatten: false });
}

describe('channels-last (NHWC) ONNX inputs', () => {
  it('load as NHWC and explain exactly like the channels-first twin', async () => {
    const backend = createOnnxBackend({ ort: runtimes.node });
    const [first, last] = [await backend.load(twin('NCHW')), await backend.load(twin('NHWC'))];
    const gs = createGradscope({ methods: builtinMethods });
    try {
      expect(last.input).toMatchObject({ layout: 'NHWC', shape: [1, 9, 8, 3], height: 9, width: 8, channels: 3 });
      expect(first.input).toMatchObject({ layout: 'NCHW', shape: [1, 3, 9, 8] });
      const xc = { data: Float32Array.from(TinyGraph.random(3 * 9 * 8, 11)), shape: [1, 3, 9, 8] };
      const xl = nchwToNhwc(xc);
      expect(compare((await last.forward(xl)).data, (await first.forward(xc)).data).maxAbs).toBeLessThan(1e-6);
      const layer = first.layers.find((l) => l.type === 'Relu')!.name;
      for (const method of ['gradcam', 'cam']) {
        const [a, b] = [
          await gs.explain(first, xc, { method, layer }),
          await gs.explain(last, xl, { method, layer: last.layers.find((l) => l.type === 'Relu')!.name }),
        ];
        expect(compare(b.map.data, a.map.data).maxAbs, method).toBeLessThan(1e-6);
      }
      for (const method of ['saliency', 'guided-backprop']) {
        const [a, b] = [
          await gs.explain(first, xc, { method, target: classTarget(2) }),
          await gs.explain(last, xl, { method, target: classTarget(2) }),
        ];
        expect(b.raw.shape).toEqual([1, 9, 8, 3]);
        expect(compare(b.raw.data, nchwToNhwc(a.raw).data).maxAbs, method).toBeLessThan(1e-6);
        expect(compare(b.map.data, a.map.data).maxAbs, method).toBeLessThan(1e-6);
      }
      await expect(last.forward(xc)).rejects.toThrow(/shape/);
      // a dynamic batch and size ([N, H, W, 3]) is still read as channels-last, sized by inputSize
      const m = decodeModel(twin('NHWC'));
      const dims = m.graph!.input![0]!.type!.tensorType!.shape!.dim!;
      [0, 1, 2].forEach((i) => (dims[i] = { dimParam: 'NHW'[i]! }));
      const dynamic = await backend.load(encodeModel(m), { inputSize: { height: 9, width: 8 } });
      expect(dynamic.input).toMatchObject({ layout: 'NHWC', shape: [-1, 9, 8, 3] });
      expect(compare((await dynamic.forward(xl)).data, (await first.forward(xc)).data).maxAbs).toBeLessThan(1e-6);
      await dynamic.dispose();
    } finally {
      await gs.dispose();
      await first.dispose();
      await last.dispose();
    }
  });
});
