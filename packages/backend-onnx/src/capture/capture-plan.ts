import type { CaptureRequest, ReluMode, Target } from '@gradscope/core';
import type { FinerSeedSpec } from '../grad/finer-seed.js';

/** How a capture runs, and the cache key of the derived model it runs. */
export interface CapturePlan {
  /** The graph tensors of `req.layers`. */
  readonly tensors: readonly string[];
  readonly mode: ReluMode;
  /** `relu`: only ReLU nodes take `mode`; ReLU6 (Clip at 0) keeps the standard rule. */
  readonly rectifiers: 'all' | 'relu';
  /** Gradients or an input gradient are asked for: the derived model has a backward pass. */
  readonly needsBackward: boolean;
  /** Every target is a top-1 class: the seed is computed in the graph (`BackwardRequest.seedFromArgmax`). */
  readonly argmax: boolean;
  /** Every target is a FinerCAM target with the same alpha, ranks and class kind: the seed is computed in the graph. */
  readonly finer: FinerSeedSpec | null;
  /** Some target's seed depends on the logits and is not top-1 (softmax, mixed batches): run a forward pass first. */
  readonly resolveFirst: boolean;
  /** Derived models are cached under this key. */
  readonly key: string;
}

/** True when a target's seed does not depend on the logits (a given class, or a seed vector). */
const seedIsFixed = (t: Target) => t.kind === 'seed' || (t.kind === 'class' && t.index !== undefined);

/** Plans a capture of `tensors` (the graph tensors of `req.layers`). */
export function planCapture(req: CaptureRequest, tensors: readonly string[]): CapturePlan {
  const mode = req.reluMode ?? 'standard';
  const needsBackward = req.gradients || req.inputGradient;
  const argmax = needsBackward && req.targets.every((t) => t.kind === 'class' && t.index === undefined);
  const finer = needsBackward ? finerPlan(req.targets) : null;
  const resolveFirst = needsBackward && !argmax && !finer && !req.targets.every(seedIsFixed);
  const kind = needsBackward ? (argmax ? 'bw-top' : finer ? `bw-finer:${JSON.stringify(finer)}` : 'bw') : 'act';
  const rectifiers = req.rectifiers ?? 'all';
  const r = rectifiers === 'relu' && mode !== 'standard' ? '|relu-only' : '';
  const key = `${kind}|${mode}${r}|g${+req.gradients}|i${+req.inputGradient}|${tensors.join('\u0000')}`;
  return { tensors, mode, rectifiers, needsBackward, argmax, finer, resolveFirst, key };
}

/** The in-graph FinerCAM seed shared by every target, or null (mixed kinds, alphas, ranks or class kinds). */
function finerPlan(targets: readonly Target[]): FinerSeedSpec | null {
  const f = targets.filter((t) => t.kind === 'finer');
  if (!f.length || f.length !== targets.length) return null;
  const specs = f.map((t) => ({ alpha: t.alpha ?? 1, ranks: t.ranks, top: t.index === undefined }));
  const key = (s: FinerSeedSpec) => JSON.stringify(s);
  return specs.every((s) => key(s) === key(specs[0]!)) ? specs[0]! : null;
}
