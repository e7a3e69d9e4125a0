import * as tf from '@tensorflow/tfjs';
import {
  UnsupportedModelError,
  type CaptureRequest,
  type LayerHook,
  type ReluMode,
  type Tensor,
} from '@gradscope/core';
import { customGrad1 } from '../grad/custom-grad.js';
import { channelsFirst, download } from '../download.js';
import { finishCapture, INPUT_GRADIENT_KEY } from '../finish-capture.js';
import type { GraphModelState } from './graph-model-state.js';
import { withGradientOverrides } from '../grad/gradient-overrides.js';
import type { ReluModes } from '../grad/relu-modes.js';
import { checkBatch } from '../input-check.js';
import { checkGradientKernels } from '../grad/required-kernels.js';
import { planSeeds, seedsFor } from '../grad/seeds.js';
import { seedScorer } from '../grad/seed-scorer.js';
import { guardTape } from '../grad/tape-guard.js';

type Feeds = Record<string, tf.Tensor>;

/**
 * One capture on a GraphModel. A single layer without input gradient: the graph up to the layer
 * runs without tape, then only the tail (`execute` with the layer fed) is differentiated.
 * Otherwise one taped pass from the input, executed in segments (input → layer 1 → layer 2 → …
 * → logits, each segment fed the tapped outputs of the previous ones) so each layer's gradient is
 * recorded by an identity tap. Same score and conventions as the LayersModel capture. `rowModes`
 * (input gradients only) replaces `req.reluMode` by one mode per row block (see `captureStacked`).
 */
export async function captureGraphModel(
  s: GraphModelState,
  x: Tensor,
  req: CaptureRequest,
  rowModes?: readonly ReluMode[],
): Promise<LayerHook> {
  const n = checkBatch(s.input, x);
  const layers = [...new Set(req.layers.map((l) => s.keyOf(l)))].sort(
    (a, b) => s.order.indexOf(a) - s.order.indexOf(b),
  );
  let fixed = planSeeds(req.targets, n, [s.numClasses]);
  if (rowModes && (!req.inputGradient || req.biasGradients || req.hessianVector))
    throw new TypeError('captureGraphModel: per-row ReLU modes need a plain input-gradient capture');
  const mode: ReluModes = rowModes ?? req.reluMode ?? 'standard';
  const wantsGrad = (req.gradients && layers.length > 0) || req.inputGradient;
  if (wantsGrad) {
    checkGradientKernels([]);
    const be = tf.getBackend();
    if (s.fusedOps.length && !tf.getKernel('Conv2DBackpropFilter', be)) {
      throw new UnsupportedModelError(
        `graph node '${s.fusedOps[0]}' is a fused op whose gradient needs the 'Conv2DBackpropFilter' kernel, which the tfjs '${be}' backend lacks`,
      );
    }
  }
  const K = s.numClasses;
  const kept = new Map<string, tf.Tensor>();
  const grads = new Map<string, tf.Tensor>();
  const logitsOut: tf.Tensor[] = [];
  const xt = tf.tensor(x.data, [...x.shape]);
  const exec = (feeds: Feeds, out: string) => s.gm.execute(feeds, out) as tf.Tensor;
  try {
    if (wantsGrad && fixed === null && tf.getBackend() === 'webgpu') {
      fixed = seedsFor(req.targets, (await download(exec({ [s.inputName]: xt }, s.outputName))).data, [K]).seeds;
    }
    const scorer = seedScorer(req.targets, n, [K], fixed, logitsOut);
    const score = scorer.score;
    const record = (k: string, t: tf.Tensor) => kept.set(k, tf.keep(channelsFirst(t)));
    const tap = (k: string) =>
      customGrad1((a) => ({
        value: tf.clone(a),
        gradFunc: (dy) => {
          grads.set(k, tf.keep(tf.clone(dy)));
          return dy;
        },
      }));

    if (!wantsGrad) {
      tf.tidy(() => {
        const outs = s.gm.execute({ [s.inputName]: xt }, [s.outputName, ...layers]) as tf.Tensor[];
        logitsOut.push(tf.keep(outs[0]!.clone()));
        layers.forEach((k, i) => record(k, outs[i + 1]!));
      });
    } else if (!req.inputGradient && layers.length === 1 && layers[0] !== s.inputName) {
      const k = layers[0]!;
      const a = tf.tidy(() => exec({ [s.inputName]: xt }, k));
      try {
        record(k, a);
        withGradientOverrides(mode, req.rectifiers ?? 'all', () =>
          guardTape(() =>
            tf.tidy(() => {
              const g = tf.grad((av: tf.Tensor) => score(exec({ [s.inputName]: xt, [k]: av }, s.outputName)))(a);
              grads.set(k, tf.keep(g));
            }),
          ),
        );
      } finally {
        a.dispose();
      }
    } else {
      withGradientOverrides(mode, req.rectifiers ?? 'all', () =>
        guardTape(() =>
          tf.tidy(() => {
            const f = (xv: tf.Tensor) => {
              const feeds: Feeds = { [s.inputName]: xv };
              for (const k of layers) {
                const a = k === s.inputName ? xv : exec(feeds, k);
                record(k, a);
                feeds[k] = tap(k)(a);
              }
              return score(exec(feeds, s.outputName));
            };
            const g = tf.grad(f)(xt);
            if (req.inputGradient) grads.set(INPUT_GRADIENT_KEY, tf.keep(g));
          }),
        ),
      );
    }
    return await finishCapture({
      req,
      keys: layers,
      keyOf: s.keyOf,
      kept,
      grads,
      logits: logitsOut.pop()!,
      resolved: scorer.resolved(),
      outputDims: [K],
    });
  } finally {
    xt.dispose();
    tf.dispose([...kept.values(), ...grads.values(), ...logitsOut]);
  }
}
