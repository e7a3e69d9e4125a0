import * as tf from '@tensorflow/tfjs';
import type { CaptureRequest, LayerHook, ResolvedTarget, Tensor } from '@gradscope/core';
import { channelsFirst, download, downloadAll } from './download.js';
import { seedsFor } from './grad/seeds.js';

/** Key under which a capture records the input gradient next to the layer gradients. */
export const INPUT_GRADIENT_KEY = '\u0000input';

/**
 * Downloads what one capture recorded and assembles its LayerHook: activations and gradients
 * channels-first (zeros for a requested layer the score does not depend on), the input gradient in
 * NHWC, targets resolved from the downloaded logits unless they were fixed up front. Disposes every
 * tensor it downloads; the caller still disposes `kept` and `grads` in its `finally`.
 */
export async function finishCapture(o: {
  readonly req: CaptureRequest;
  /** Internal keys of the captured layers, in capture order. */
  readonly keys: readonly string[];
  readonly keyOf: (layer: string) => string;
  readonly kept: ReadonlyMap<string, tf.Tensor>;
  readonly grads: ReadonlyMap<string, tf.Tensor>;
  readonly logits: tf.Tensor;
  readonly resolved: readonly ResolvedTarget[] | null | undefined;
  /** The logits of one image: `[K]`, or `[K, H, W]` class planes. */
  readonly outputDims: readonly number[];
}): Promise<LayerHook> {
  const inputGrad = o.grads.get(INPUT_GRADIENT_KEY);
  const gradOut = new Map<string, tf.Tensor>();
  if (o.req.gradients) {
    for (const k of o.keys) {
      const g = o.grads.get(k);
      gradOut.set(k, g ? tf.tidy(() => channelsFirst(g)) : tf.zeros(o.kept.get(k)!.shape));
    }
  }
  const logits = await download(o.logits);
  const acts = await downloadAll(o.kept);
  const gs = await downloadAll(gradOut);
  const inputGradient = inputGrad ? await download(inputGrad) : undefined;
  const targets = o.resolved ?? seedsFor(o.req.targets, logits.data, o.outputDims).resolved;
  const byName = (m: Map<string, Tensor>) =>
    new Map(o.req.layers.map((l) => [l, m.get(o.keyOf(l))!] as const).filter(([, t]) => t !== undefined));
  return {
    logits,
    targets,
    activations: byName(acts),
    gradients: byName(gs),
    ...(inputGradient ? { inputGradient } : {}),
    dispose: () => {},
  };
}
