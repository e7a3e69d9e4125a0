import * as tf from '@tensorflow/tfjs';
import type { KernelSource } from './conv-input-grad.js';

/**
 * Prepared (flipped, phase-split) conv kernels per weight tensor, recomputed when the weight's data
 * changes (a tfjs `Variable.assign` gives it a new `dataId`). Reusing the same tensors also lets
 * XNNPACK on wasm reuse its packed weights. Owned by one model; `dispose()` releases them all.
 */
export class KernelFlipCache {
  private readonly entries = new Map<tf.Tensor, { dataId: object; kernels: Map<string, tf.Tensor4D> }>();

  /** The {@link KernelSource} for weight `w`. */
  source(w: tf.Tensor): KernelSource {
    return (key, make) => {
      let e = this.entries.get(w);
      if (!e || e.dataId !== w.dataId) {
        if (e) for (const k of e.kernels.values()) k.dispose();
        e = { dataId: w.dataId, kernels: new Map() };
        this.entries.set(w, e);
      }
      let k = e.kernels.get(key);
      if (!k || k.isDisposed) {
        k = tf.keep(make());
        e.kernels.set(key, k);
      }
      return k;
    };
  }

  dispose(): void {
    for (const e of this.entries.values()) for (const k of e.kernels.values()) k.dispose();
    this.entries.clear();
  }
}
