import type { Layout, Model, Tensor } from '@gradscope/core';

/**
 * A test model with closed-form scores: logits `[Σx, −Σx]` of each image `[C, 2, 2]` (any layout, C
 * channels), so `score(x ⊙ m)` is a plain weighted sum.
 */
export function linearModel(layout: Layout, C: number): Model {
  const shape = layout === 'NCHW' ? [-1, C, 2, 2] : [-1, 2, 2, C];
  return {
    name: 'linear',
    backend: 'test',
    capabilities: new Set(['batched-forward']),
    numClasses: 2,
    input: { name: 'x', shape, layout, height: 2, width: 2 },
    forward: async (x: Tensor): Promise<Tensor> => {
      const n = x.shape[0]!;
      const k = 4 * C;
      const y = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) {
        const s = x.data.subarray(k * i, k * (i + 1)).reduce((a, b) => a + b, 0);
        y.set([s, -s], 2 * i);
      }
      return { data: y, shape: [n, 2] };
    },
  } as unknown as Model;
}
