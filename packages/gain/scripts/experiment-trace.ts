/**
 * Helpers of the experiment script for the stage-1 search: a cheap per-epoch accuracy trace (plain
 * forward passes, no Grad-CAM), a PyTorch-style re-initialisation, and saving/loading a stage-1
 * checkpoint so several stage-2 runs can branch from it without repeating stage 1.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type * as tfjs from '@tensorflow/tfjs';
import type { BiasedSample } from '@gradscope/shapes';
import type { GainSample } from '@gradscope/gain';

export interface TracePoint {
  readonly epoch: number;
  readonly accConflicting: number;
  readonly accAligned: number;
  readonly objOnGrey: number;
  readonly ctxToCtx: number;
}

function predict(tf: typeof tfjs, model: tfjs.LayersModel, xs: readonly Float32Array[]): number[] {
  const shape = (model.inputs[0]!.shape as number[]).slice(1);
  const out: number[] = [];
  for (let i = 0; i < xs.length; i += 128) {
    const chunk = xs.slice(i, i + 128);
    const flat = new Float32Array(chunk.length * chunk[0]!.length);
    chunk.forEach((x, k) => flat.set(x, k * x.length));
    const p = tf.tidy(() =>
      (model.predict(tf.tensor(flat, [chunk.length, ...shape])) as tfjs.Tensor).argMax(-1),
    ) as tfjs.Tensor;
    out.push(...(p.dataSync() as Int32Array));
    p.dispose();
  }
  return out;
}

/** Accuracy per test group, on objects on grey, and the context-only → context rate, by argmax only. */
export function quickTrace(
  tf: typeof tfjs,
  model: tfjs.LayersModel,
  epoch: number,
  data: {
    readonly test: readonly GainSample[];
    readonly objectOnGrey: readonly GainSample[];
    readonly contextOnly: readonly BiasedSample[];
    readonly contextOnlyX: readonly Float32Array[];
  },
): TracePoint {
  const rate = (pred: number[], want: (i: number) => boolean, keep: (i: number) => boolean) => {
    let n = 0,
      hit = 0;
    pred.forEach((_, i) => {
      if (!keep(i)) return;
      n++;
      if (want(i)) hit++;
    });
    return n ? hit / n : NaN;
  };
  const t = predict(
    tf,
    model,
    data.test.map((s) => s.x),
  );
  const g = predict(
    tf,
    model,
    data.objectOnGrey.map((s) => s.x),
  );
  const c = predict(tf, model, data.contextOnlyX);
  const group = (i: number) => data.test[i]!.group;
  return {
    epoch,
    accConflicting: rate(
      t,
      (i) => t[i] === data.test[i]!.label,
      (i) => group(i) === 'conflicting',
    ),
    accAligned: rate(
      t,
      (i) => t[i] === data.test[i]!.label,
      (i) => group(i) === 'aligned',
    ),
    objOnGrey: rate(
      g,
      (i) => g[i] === data.objectOnGrey[i]!.label,
      () => true,
    ),
    ctxToCtx: rate(
      c,
      (i) => c[i] === data.contextOnly[i]!.context,
      () => true,
    ),
  };
}

/** Seeded mulberry32 in [0, 1). */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * PyTorch-style initialisation: conv kernels from an untruncated N(0, 2/fan_in) (kaiming_normal_),
 * dense kernel and every bias from PyTorch's default U(±1/√fan_in). tfjs's `heNormal` is a normal
 * truncated at 2σ (effective std ≈ 0.88·√(2/fan_in)) and its biases start at 0.
 */
export function torchLikeInit(tf: typeof tfjs, model: tfjs.LayersModel, seed: number): void {
  const u = uniform(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const weights = model.getWeights();
  const next: tfjs.Tensor[] = [];
  for (let i = 0; i < weights.length; i += 2) {
    const [k, b] = [weights[i]!, weights[i + 1]!];
    const fanIn = k.shape.slice(0, -1).reduce((p, d) => p * d, 1);
    const bound = 1 / Math.sqrt(fanIn);
    const conv = k.rank === 4;
    const kv = Float32Array.from({ length: k.size }, () =>
      conv ? normal() * Math.sqrt(2 / fanIn) : (2 * u() - 1) * bound,
    );
    const bv = Float32Array.from({ length: b.size }, () => (2 * u() - 1) * bound);
    next.push(tf.tensor(kv, k.shape), tf.tensor(bv, b.shape));
  }
  model.setWeights(next);
  tf.dispose(next);
}

/** A checkpoint as JSON: each weight's shape and values (≈ 1 MB for the 66k-parameter CNN). */
export function saveWeights(path: string, weights: readonly tfjs.Tensor[]): void {
  const json = weights.map((w) => ({ shape: w.shape, values: Array.from(w.dataSync()) }));
  writeFileSync(path, JSON.stringify(json));
}

export function loadWeights(tf: typeof tfjs, path: string): tfjs.Tensor[] {
  const json = JSON.parse(readFileSync(path, 'utf8')) as { shape: number[]; values: number[] }[];
  return json.map((w) => tf.tensor(w.values, w.shape));
}
