import * as tf from '@tensorflow/tfjs';
import { BadInputShapeError, type LayerInfo, type Tensor } from '@gradscope/core';
import { download } from '../download.js';
import { GraphRun } from './graph-run.js';
import { checkBatch } from '../input-check.js';
import { inferenceApply } from './layers-capture.js';
import { logitsOf, type LayersModelState } from './layers-model-state.js';

/**
 * Logits `[B, K]` from a replaced output of `layer` (channels-first `[B, C, h, w]`, or `[B, C]`):
 * only the layers downstream of it run, plus whatever their other inputs need (e.g. a residual
 * branch from before the layer), computed from `x`. An `x` with batch 1 is broadcast to B.
 */
export async function runLayersModelFromLayer(
  s: LayersModelState,
  info: LayerInfo,
  x: Tensor,
  activation: Tensor,
): Promise<Tensor> {
  const key = s.keyOf(info.name);
  const nb = checkBatch(s.input, x);
  const want =
    info.outputShape.length === 4
      ? [-1, info.outputShape[3]!, info.outputShape[1]!, info.outputShape[2]!]
      : [...info.outputShape];
  const b = activation.shape[0] ?? 0;
  const ok =
    activation.shape.length === want.length && b >= 1 && activation.shape.every((d, i) => i === 0 || d === want[i]);
  if (!ok || (nb !== b && nb !== 1))
    throw new BadInputShapeError(
      [nb === 1 ? -1 : nb, ...want.slice(1)],
      activation.shape,
      `activation of layer '${info.name}'`,
    );
  const logits = tf.tidy(() => {
    let xt: tf.Tensor = tf.tensor(x.data, [...x.shape]);
    if (nb !== b) xt = tf.tile(xt, [b, ...x.shape.slice(1).map(() => 1)]);
    let a: tf.Tensor = tf.tensor(activation.data, [...activation.shape]);
    if (a.rank === 4) a = tf.transpose(a, [0, 2, 3, 1]);
    const memo = new Map([
      [s.graph.inputKey, xt],
      [key, a],
    ]);
    const run = new GraphRun(s.graph, inferenceApply(s), memo);
    run.compute([s.outputKey]);
    return logitsOf(run.memo.get(s.outputKey)!);
  });
  return download(logits);
}
