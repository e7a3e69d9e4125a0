import type { Layout, Model, Tensor } from '@gradscope/core';

/**
 * A linear test model on `[N, C, H, W]` (or NHWC) images: logit 0 is the sum of every channel's
 * values over the pixels of `region` (row-major indices), logit 1 is 0. Records the rows of each call.
 */
export function regionModel(
  h: number,
  w: number,
  region: readonly number[],
  opts: { channels?: number; layout?: Layout } = {},
): Model & { calls: number[] } {
  const C = opts.channels ?? 1;
  const layout = opts.layout ?? 'NCHW';
  const calls: number[] = [];
  const size = C * h * w;
  const at = (p: number, c: number) => (layout === 'NCHW' ? c * h * w + p : p * C + c);
  return {
    name: 'region',
    backend: 'test',
    capabilities: new Set(['batched-forward']),
    numClasses: 2,
    input: { name: 'x', shape: layout === 'NCHW' ? [-1, C, h, w] : [-1, h, w, C], layout, height: h, width: w },
    calls,
    forward: async (x: Tensor): Promise<Tensor> => {
      const n = x.shape[0]!;
      calls.push(n);
      const y = new Float32Array(2 * n);
      for (let i = 0; i < n; i++)
        for (const p of region) for (let c = 0; c < C; c++) y[2 * i] += x.data[i * size + at(p, c)]!;
      return { data: y, shape: [n, 2] };
    },
  } as unknown as Model & { calls: number[] };
}

export const plane = (h: number, w: number, f: (p: number) => number): Tensor => ({
  data: Float32Array.from({ length: h * w }, (_, p) => f(p)),
  shape: [h, w],
});
