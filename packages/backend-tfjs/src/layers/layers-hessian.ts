import type * as tf from '@tensorflow/tfjs';
import type { CaptureRequest, LayerHook, Tensor } from '@gradscope/core';
import { layerHessianVectors } from '../grad/hessian-vector.js';
import { GraphRun } from './graph-run.js';
import { captureApply, inferenceApply } from './layers-capture.js';
import { logitsOf, type LayersModelState } from './layers-model-state.js';

/**
 * `H·A` for each requested layer of a LayersModel (`CaptureRequest.hessianVector`): the layer's
 * output from an untaped forward, then nested `tf.grad` of the network from that layer (the rest of
 * the graph recomputed from the input inside the tape). The capture's layer application (no fused kernels; standard ReLU rule).
 */
export function layersHessianVectors(
  s: LayersModelState,
  x: Tensor,
  req: CaptureRequest,
  hook: LayerHook,
): Promise<Map<string, Tensor>> {
  const run = (apply: ReturnType<typeof inferenceApply>, feeds: Map<string, tf.Tensor>) =>
    new GraphRun(s.graph, apply, feeds);
  return layerHessianVectors(
    x,
    req,
    hook,
    s.keyOf,
    (xt, k) => {
      const r = run(inferenceApply(s), new Map([[s.graph.inputKey, xt]]));
      r.compute([k]);
      return r.memo.get(k)!;
    },
    (xt, k) => (av) =>
      logitsOf(
        run(
          captureApply(s, 'standard'),
          new Map([
            [s.graph.inputKey, xt],
            [k, av],
          ]),
        ).value(s.outputKey),
      ),
  );
}
