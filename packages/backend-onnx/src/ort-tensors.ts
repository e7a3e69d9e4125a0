import type { Tensor } from '@gradscope/core';
import type { OrtRuntime, OrtTensor } from './ort-types.js';

/** A float32 onnxruntime tensor of `t` (copied only when `t` is a view into a larger buffer). */
export function toOrtTensor(ort: OrtRuntime, t: Tensor): OrtTensor {
  const d = t.data.byteOffset || t.data.byteLength !== t.data.buffer.byteLength ? t.data.slice() : t.data;
  return new ort.Tensor('float32', d, t.shape);
}

/** Disposes every tensor of a run's outputs. */
export function releaseOutputs(out: Record<string, OrtTensor>): void {
  for (const v of Object.values(out)) v.dispose?.();
}

/**
 * Reads float outputs of `session.run` as Tensors. onnxruntime copies each output out of native or
 * wasm memory into a buffer of its own: that buffer is handed over instead of copied again (once
 * per buffer; a second take, or a view into shared memory, is copied).
 */
export class OutputReader {
  private readonly handed = new WeakSet<ArrayBufferLike>();

  take(out: Record<string, OrtTensor>, name: string): Tensor {
    const t = out[name];
    if (!t) throw new Error(`internal: onnxruntime returned no output '${name}'`);
    const d = t.data as Float32Array;
    const own =
      d.byteOffset === 0 &&
      d.byteLength === d.buffer.byteLength &&
      d.buffer instanceof ArrayBuffer &&
      !this.handed.has(d.buffer);
    if (own) this.handed.add(d.buffer);
    return { data: own ? d : new Float32Array(d), shape: [...t.dims] };
  }

  /** Reads one output and disposes every output tensor. */
  takeAndRelease(out: Record<string, OrtTensor>, name: string): Tensor {
    const t = this.take(out, name);
    releaseOutputs(out);
    return t;
  }
}
