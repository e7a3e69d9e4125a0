import * as tf from '@tensorflow/tfjs';
import type { CaptureRequest, LayerHook, Tensor } from '@gradscope/core';
import { downloadHessianVectors, hessianVector } from '../grad/hessian-vector.js';
import { GraphRun } from './graph-run.js';
import { captureApply, inferenceApply } from './layers-capture.js';
import type { LayersModelState } from './layers-model-state.js';

/**
 * `H·A` for each requested layer of a LayersModel (`CaptureRequest.hessianVector`): the layer's
 * output from an untaped forward, then nested `tf.grad` of the network from that layer (the rest of
 * the graph recomputed from the input inside the tape). The capture's layer application (no fused kernels; standard ReLU rule).
 */
export async function layersHessianVectors(
  s: LayersModelState,
  x: Tensor,
  req: CaptureRequest,
  hook: LayerHook,
): Promise<Map<string, Tensor>> {
  const keys = [...new Set(req.layers.map((l) => s.keyOf(l)))];
  const hv = new Map<string, tf.Tensor>();
  const xt = tf.tensor(x.data, [...x.shape]);
  try {
    for (const k of keys) {
      const a = tf.tidy(() => {
        const run = new GraphRun(s.graph, inferenceApply(s), new Map([[s.graph.inputKey, xt]]));
        run.compute([k]);
        return run.memo.get(k)!;
      });
      try {
        const tail = (av: tf.Tensor) =>
          new GraphRun(
            s.graph,
            captureApply(s, 'standard'),
            new Map([
              [s.graph.inputKey, xt],
              [k, av],
            ]),
          ).value(s.outputKey);
        hv.set(k, hessianVector(tail, a, hook, req.targets));
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
