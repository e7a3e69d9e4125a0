import * as tf from '@tensorflow/tfjs';
import type { BiasGradient } from '@gradscope/core';
import { channelsFirst, download } from '../download.js';
import { tapFor } from '../grad/gradient-tap.js';
import type { LayerLike } from './tfjs-internals.js';

/**
 * Records the biases of a taped LayersModel pass (`CaptureRequest.biasGradients`): `onBias` (given to
 * the capture's layer application) keeps each Conv2D / DepthwiseConv2D bias and batch normalisation's
 * effective bias, and taps the output it is added to (before the activation) for its gradient.
 */
export class BiasTaps {
  private readonly entries: { key: string; layer: string; bias: tf.Tensor; shape: number[] }[] = [];

  constructor(private readonly grads: Map<string, tf.Tensor>) {}

  readonly onBias = (layer: LayerLike, pre: tf.Tensor, bias: tf.Tensor): tf.Tensor => {
    const key = `\u0000bias:${this.entries.length}:${layer.name}`;
    this.entries.push({ key, layer: layer.name, bias: tf.keep(tf.clone(bias)), shape: pre.shape });
    return tapFor(key, this.grads)(pre);
  };

  /** Biases and channels-first gradients (zeros where no gradient reached), in network order. */
  async download(): Promise<BiasGradient[]> {
    const out: BiasGradient[] = [];
    for (const e of this.entries) {
      const g = this.grads.get(e.key);
      const cf = tf.tidy(() => channelsFirst(g ?? tf.zeros(e.shape)));
      try {
        out.push({ layer: e.layer, bias: (await download(e.bias)).data, gradient: await download(cf) });
      } finally {
        cf.dispose();
      }
    }
    return out;
  }

  dispose(): void {
    tf.dispose(this.entries.map((e) => e.bias));
  }
}
