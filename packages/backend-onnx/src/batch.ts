import type { Tensor } from '@gradscope/core';

/** Concatenates tensors along the leading (batch) axis. */
export function concatBatch(parts: readonly Tensor[]): Tensor {
  const first = parts[0]!;
  const inner = first.shape.slice(1);
  const n = parts.reduce((s, p) => s + p.shape[0]!, 0);
  const data = new Float32Array(parts.reduce((s, p) => s + p.data.length, 0));
  let off = 0;
  for (const p of parts) {
    data.set(p.data, off);
    off += p.data.length;
  }
  return { data, shape: [n, ...inner] };
}

/** Image `i` of a batch as a batch of one. */
export function sliceBatch(t: Tensor, i: number): Tensor {
  const inner = t.shape.slice(1);
  const size = inner.reduce((a, b) => a * b, 1);
  return { data: t.data.slice(i * size, (i + 1) * size), shape: [1, ...inner] };
}

/** Repeats a batch-of-one tensor `m` times along the batch axis. */
export function tileBatch(t: Tensor, m: number): Tensor {
  return concatBatch(Array.from({ length: m }, () => t));
}
