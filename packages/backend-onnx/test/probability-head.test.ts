import { describe, expect, it } from 'vitest';
import { classTarget } from '@gradscope/core';
import { createOnnxBackend } from '../src/index.js';
import { compare, runtimes } from './helpers.js';
import { TinyGraph } from './tiny-model.js';

/** conv → relu → GAP → Gemm (logits), then `head` and `after` (Identity nodes, as exporters append). */
function make(head: 'Softmax' | 'Sigmoid' | null, after: number): Uint8Array {
  const g = new TinyGraph([1, 2, 4, 4]);
  const feat = g.op('Flatten', [
    g.op('GlobalAveragePool', [
      g.op('Relu', [g.op('Conv', [g.x, g.f(TinyGraph.random(36, 3), [2, 2, 3, 3])], { pads: [1, 1, 1, 1] })]),
    ]),
  ]);
  let out = g.op('Gemm', [feat, g.f(TinyGraph.random(10, 5), [5, 2])], { transB: 1 });
  if (head) out = g.op(head, [out], head === 'Softmax' ? { axis: 1 } : {});
  for (let i = 0; i < after; i++) out = g.op('Identity', [out]);
  return g.bytes(out, { flatten: false });
}

describe('a final Softmax/Sigmoid followed by Identity nodes', () => {
  it.each([
    ['Softmax', 1],
    ['Softmax', 2],
    ['Sigmoid', 1],
    ['Sigmoid', 0],
  ] as const)('%s then %i Identity: stripped, forward returns logits, gradients of the logits', async (head, n) => {
    const backend = createOnnxBackend({ ort: runtimes.node });
    const [withHead, plain] = await Promise.all([backend.load(make(head, n)), backend.load(make(null, 0))]);
    try {
      const x = { data: Float32Array.from(TinyGraph.random(32, 9)), shape: [1, 2, 4, 4] };
      const a = await withHead.forward(x);
      expect(compare(a.data, (await plain.forward(x)).data).maxAbs).toBe(0);
      expect(withHead.head?.weights.shape).toEqual([5, 2]);
      const req = { layers: [], gradients: false, inputGradient: true, targets: [classTarget(1)] };
      const ga = (await withHead.capture(x, req)).inputGradient!.data;
      expect(compare(ga, (await plain.capture(x, req)).inputGradient!.data).maxAbs).toBe(0);
    } finally {
      await withHead.dispose();
      await plain.dispose();
    }
  });

  it('keeps a Softmax whose output is also consumed elsewhere (not a head)', async () => {
    const g = new TinyGraph([1, 2, 4, 4]);
    const feat = g.op('Flatten', [
      g.op('GlobalAveragePool', [
        g.op('Conv', [g.x, g.f(TinyGraph.random(36, 3), [2, 2, 3, 3])], { pads: [1, 1, 1, 1] }),
      ]),
    ]);
    const p = g.op('Softmax', [g.op('Gemm', [feat, g.f(TinyGraph.random(10, 5), [5, 2])], { transB: 1 })], { axis: 1 });
    const out = g.op('Add', [p, g.op('Identity', [p])]);
    const model = await createOnnxBackend({ ort: runtimes.node }).load(
      g.bytes(g.op('Identity', [out]), { flatten: false }),
    );
    try {
      const y = await model.forward({ data: Float32Array.from(TinyGraph.random(32, 9)), shape: [1, 2, 4, 4] });
      expect(y.data.reduce((s, v) => s + v, 0)).toBeCloseTo(2, 5); // 2 × softmax over 5 classes
    } finally {
      await model.dispose();
    }
  });
});
