import * as tf from '@tensorflow/tfjs';
import type { CaptureRequest, LayerHook, ReluMode, Tensor } from '@gradscope/core';
import { tapFor } from '../grad/gradient-tap.js';
import { BiasTaps } from './bias-taps.js';
import { applyCaptureLayer, applyLinear, type CaptureOpsContext } from './capture-ops.js';
import { channelsFirst, download } from '../download.js';
import { finishCapture, INPUT_GRADIENT_KEY } from '../finish-capture.js';
import { ancestors } from './flat-graph.js';
import { withGradientOverrides } from '../grad/gradient-overrides.js';
import type { ReluModes } from '../grad/relu-modes.js';
import { applyInference, GraphRun, type ApplyNode } from './graph-run.js';
import { checkBatch } from '../input-check.js';
import { logitsOf, type LayersModelState } from './layers-model-state.js';
import { checkGradientKernels } from '../grad/required-kernels.js';
import { planSeeds, seedsFor } from '../grad/seeds.js';
import { seedScorer } from '../grad/seed-scorer.js';
import { guardTape } from '../grad/tape-guard.js';

/** Inference application, dropping the bypassed final activation. */
export const inferenceApply =
  (s: LayersModelState): ApplyNode =>
  (node, ins) =>
    node === s.linearNode ? [applyLinear(node.layer, ins[0]!)] : applyInference(node, ins);

export const captureApply =
  (
    s: LayersModelState,
    mode: ReluModes,
    rectifiers: CaptureRequest['rectifiers'] = 'all',
    onBias?: CaptureOpsContext['onBias'],
  ): ApplyNode =>
  (node, ins) => {
    const y =
      ins.length === 1
        ? applyCaptureLayer(
            node.layer,
            ins[0]!,
            { mode, rectifiers, flips: s.flips, ...(onBias ? { onBias } : {}) },
            node === s.linearNode,
          )
        : null;
    return y ? [y] : applyInference(node, ins);
  };

/**
 * One capture on a LayersModel. Without an input gradient, the part of the network up to the
 * earliest requested layers runs once without a tape and only the tail from those layers is
 * differentiated (Grad-CAM at the last conv costs about one forward). With an input gradient, one
 * taped forward from the input, with identity taps recording each layer's gradient. Score =
 * Σ logits · seed, seed = d score / d logits from core's `resolveTarget` per image. `rowModes`
 * (input gradients only) replaces `req.reluMode` by one mode per row block (see `captureStacked`).
 */
export async function captureLayersModel(
  s: LayersModelState,
  x: Tensor,
  req: CaptureRequest,
  rowModes?: readonly ReluMode[],
): Promise<LayerHook> {
  const n = checkBatch(s.input, x);
  const keys = [...new Set(req.layers.map((l) => s.keyOf(l)))];
  let fixed = planSeeds(req.targets, n, s.outputDims);
  if (rowModes && (!req.inputGradient || req.biasGradients || req.hessianVector))
    throw new TypeError('captureLayersModel: per-row ReLU modes need a plain input-gradient capture');
  const mode: ReluModes = rowModes ?? req.reluMode ?? 'standard';
  const wantsGrad = (req.gradients && keys.length > 0) || req.inputGradient || !!req.biasGradients;
  if (wantsGrad) checkGradientKernels(s.graph.nodes);
  const K = s.outputDims;

  const kept = new Map<string, tf.Tensor>();
  const grads = new Map<string, tf.Tensor>();
  const logitsOut: tf.Tensor[] = [];
  const biases = req.biasGradients ? new BiasTaps(grads) : null;
  const xt = tf.tensor(x.data, [...x.shape]);
  try {
    if (wantsGrad && fixed === null && tf.getBackend() === 'webgpu') {
      // no synchronous readback on webgpu: resolve the targets on a separate forward
      const l = tf.tidy(() =>
        logitsOf(new GraphRun(s.graph, inferenceApply(s), new Map([[s.graph.inputKey, xt]])).value(s.outputKey)),
      );
      const r = seedsFor(req.targets, (await download(l)).data, K);
      fixed = r.seeds;
    }
    const scorer = seedScorer(req.targets, n, K, fixed, logitsOut);
    const score = scorer.score;
    const record = (key: string, t: tf.Tensor) => kept.set(key, tf.keep(channelsFirst(t)));

    if (!wantsGrad) {
      tf.tidy(() => {
        const run = new GraphRun(s.graph, inferenceApply(s), new Map([[s.graph.inputKey, xt]]));
        run.compute([s.outputKey, ...keys]);
        logitsOut.push(tf.keep(logitsOf(run.memo.get(s.outputKey)!).clone()));
        for (const k of keys) record(k, run.memo.get(k)!);
      });
    } else if (!req.inputGradient && !req.biasGradients && !keys.includes(s.graph.inputKey)) {
      // head without tape up to the earliest requested layers, then differentiate the tail only
      const anc = new Map(keys.map((k) => [k, ancestors(s.graph, k)]));
      const frontier = keys.filter((k) => !keys.some((o) => o !== k && anc.get(k)!.has(o)));
      // keep what the tail reads from the head: the frontier and e.g. residual branches around it
      const headKeys = new Set(frontier.flatMap((k) => [k, ...anc.get(k)!]));
      const hold = new Set(
        s.graph.nodes
          .filter((nd) => !nd.outputs.some((o) => headKeys.has(o)))
          .flatMap((nd) => nd.inputs.filter((i) => headKeys.has(i))),
      );
      const head = tf.tidy(() => {
        const run = new GraphRun(s.graph, inferenceApply(s), new Map([[s.graph.inputKey, xt]]));
        run.compute(frontier, hold);
        const out: Record<string, tf.Tensor> = {};
        for (const [k, t] of run.memo) if (t !== xt) out[k] = t;
        return out;
      });
      try {
        for (const k of frontier) record(k, head[k]!);
        const taps = new Map(keys.filter((k) => !frontier.includes(k)).map((k) => [k, tapFor(k, grads)]));
        const onValue = (k: string, t: tf.Tensor) => {
          const tap = taps.get(k);
          if (!tap) return t;
          record(k, t);
          return tap(t);
        };
        const f = (...as: tf.Tensor[]) => {
          const memo = new Map<string, tf.Tensor>([[s.graph.inputKey, xt], ...Object.entries(head)]);
          frontier.forEach((k, i) => memo.set(k, as[i]!));
          return score(
            logitsOf(new GraphRun(s.graph, captureApply(s, mode, req.rectifiers), memo, onValue).value(s.outputKey)),
          );
        };
        withGradientOverrides(mode, req.rectifiers ?? 'all', () =>
          guardTape(() =>
            tf.tidy(() => {
              const gs = tf.grads(f)(frontier.map((k) => head[k]!));
              frontier.forEach((k, i) => grads.set(k, tf.keep(gs[i]!)));
            }),
          ),
        );
      } finally {
        tf.dispose(Object.values(head));
      }
    } else {
      const taps = new Map(keys.map((k) => [k, tapFor(k, grads)]));
      const onValue = (k: string, t: tf.Tensor) => {
        const tap = taps.get(k);
        if (!tap) return t;
        record(k, t);
        return tap(t);
      };
      withGradientOverrides(mode, req.rectifiers ?? 'all', () =>
        guardTape(() =>
          tf.tidy(() => {
            const f = (xv: tf.Tensor) => {
              const x0 = onValue(s.graph.inputKey, xv);
              return score(
                logitsOf(
                  new GraphRun(
                    s.graph,
                    captureApply(s, mode, req.rectifiers, biases?.onBias),
                    new Map([[s.graph.inputKey, x0]]),
                    onValue,
                  ).value(s.outputKey),
                ),
              );
            };
            const g = tf.grad(f)(xt);
            if (req.inputGradient) grads.set(INPUT_GRADIENT_KEY, tf.keep(g));
          }),
        ),
      );
    }
    const hook = await finishCapture({
      req,
      keys,
      keyOf: s.keyOf,
      kept,
      grads,
      logits: logitsOut.pop()!,
      resolved: scorer.resolved(),
      outputDims: K,
    });
    return biases ? { ...hook, biasGradients: await biases.download() } : hook;
  } finally {
    biases?.dispose();
    xt.dispose();
    tf.dispose([...kept.values(), ...grads.values(), ...logitsOut]);
  }
}
