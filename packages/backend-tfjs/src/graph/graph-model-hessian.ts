import type * as tf from '@tensorflow/tfjs';
import type { CaptureRequest, LayerHook, Tensor } from '@gradscope/core';
import { layerHessianVectors } from '../grad/hessian-vector.js';
import type { GraphModelState } from './graph-model-state.js';

/**
 * `H·A` for each requested layer of a GraphModel (`CaptureRequest.hessianVector`): the layer's output
 * from an untaped `execute`, then nested `tf.grad` of `execute` with that layer fed.
 */
export function graphHessianVectors(
  s: GraphModelState,
  x: Tensor,
  req: CaptureRequest,
  hook: LayerHook,
): Promise<Map<string, Tensor>> {
  const exec = (feeds: Record<string, tf.Tensor>, out: string) => s.gm.execute(feeds, out) as tf.Tensor;
  return layerHessianVectors(
    x,
    req,
    hook,
    s.keyOf,
    (xt, k) => exec({ [s.inputName]: xt }, k),
    (xt, k) => (av) => exec({ [s.inputName]: xt, [k]: av }, s.outputName),
  );
}
