import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from '@gradscope/onnx-proto';
import { isGradscopeError } from '@gradscope/core';
import { createOnnxBackend } from '../src/index.js';
import { compare, runtimes } from './helpers.js';
import { TinyGraph } from './tiny-model.js';

/** conv → GAP → two Gemm heads: output `a` (2 classes, Softmax) and `b` (3 classes); or one model per head. */
function heads(only?: 'a' | 'b'): Uint8Array {
  const g = new TinyGraph([1, 2, 4, 4]);
  const feat = g.op('Flatten', [
    g.op('GlobalAveragePool', [
      g.op('Relu', [g.op('Conv', [g.x, g.f(TinyGraph.random(36, 3), [2, 2, 3, 3])], { pads: [1, 1, 1, 1] })]),
    ]),
  ]);
  const a = g.op('Softmax', [g.op('Gemm', [feat, g.f(TinyGraph.random(4, 5), [2, 2])], { transB: 1 })], { axis: 1 });
  const b = g.op('Gemm', [feat, g.f(TinyGraph.random(6, 7), [3, 2])], { transB: 1 });
  const m = decodeModel(g.bytes(only === 'b' ? b : a, { flatten: false }));
  if (!only) m.graph!.output = [{ name: a }, { name: b }];
  return encodeModel(m);
}

describe('an ONNX model with several outputs (#3)', () => {
  const backend = createOnnxBackend({ ort: runtimes.node });
  it('without a choice: a model-load error listing the outputs', async () => {
    const err = await backend.load(heads()).catch((e: unknown) => e);
    expect(isGradscopeError(err, 'model-load')).toBe(true);
    expect((err as Error).message).toMatch(/2 outputs \('t\d+', 't\d+'\).*--output <name>/);
  });
  it('with output: that head, equal to the one-output model of that head', async () => {
    const names = decodeModel(heads()).graph!.output!.map((o) => o.name!);
    const x = { data: Float32Array.from(TinyGraph.random(32, 9)), shape: [1, 2, 4, 4] };
    for (const [i, only] of [
      [0, 'a'],
      [1, 'b'],
    ] as const) {
      const [chosen, single] = await Promise.all([
        backend.load(heads(), { output: names[i]! }),
        backend.load(heads(only)),
      ]);
      try {
        expect(chosen.numClasses).toBe(only === 'a' ? 2 : 3);
        expect(chosen.outputActivation).toBe(only === 'a' ? 'softmax' : undefined);
        expect(compare((await chosen.forward(x)).data, (await single.forward(x)).data).maxAbs).toBe(0);
      } finally {
        await chosen.dispose();
        await single.dispose();
      }
    }
  });
});
