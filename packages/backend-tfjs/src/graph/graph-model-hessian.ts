import * as tf from '@tensorflow/tfjs';
import type { CaptureRequest, LayerHook, Tensor } from '@gradscope/core';
import { downloadHessianVectors, hessianVector } from '../grad/hessian-vector.js';
import type { GraphModelState } from './graph-model-state.js';

/**
 * `H·A` for each requested layer of a GraphModel (`CaptureRequest.hessianVector`): the layer's output
 * from an untaped `execute`, then nested `tf.grad` of `execute` with that layer fed.
 */
export async function graphHessianVectors(
  s: GraphModelState,
  x: Tensor,
  req: CaptureRequest,
  hook: LayerHook,
): Promise<Map<string, Tensor>> {
  const keys = [...new Set(req.layers.map((l) => s.keyOf(l)))];
  const hv = new Map<string, tf.Tensor>();
  const xt = tf.tensor(x.data, [...x.shape]);
  const exec = (feeds: Record<string, tf.Tensor>, out: string) => s.gm.execute(feeds, out) as tf.Tensor;
  try {
    for (const k of keys) {
      const a = tf.tidy(() => exec({ [s.inputName]: xt }, k));
      try {
        hv.set(
          k,
          hessianVector((av) => exec({ [s.inputName]: xt, [k]: av }, s.outputName), a, hook, req.targets),
        );
      } finally {
        a.dispose();
      }
    }
    return await downloadHessianVectors(req.layers, s.keyOf, hv);
  } finally {
    xt.dispose();
    tf.dispose([...hv.values()]);
  }
}
