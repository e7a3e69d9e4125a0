import { BadTargetError } from './errors.js';

/**
 * What to explain: turns logits into the scalar score whose gradient is taken.
 * - `class`: the logit `y[index]`; without `index`, the top-1 class of each image.
 * - `softmax`: the probability `softmax(y)[index]` (top-1 without `index`).
 * - `seed`: any seed vector d(score)/d(logits) over the outputs.
 * `negate` flips the score (counterfactual explanations: what lowers the class).
 */
export type Target =
  | { readonly kind: 'class'; readonly index?: number; readonly negate?: boolean }
  | { readonly kind: 'softmax'; readonly index?: number; readonly negate?: boolean }
  | { readonly kind: 'seed'; readonly seed: ArrayLike<number>; readonly negate?: boolean };

/** A target evaluated on one image's logits. */
export interface ResolvedTarget {
  readonly kind: Target['kind'];
  /** The class explained (null for a free seed vector). */
  readonly classIndex: number | null;
  readonly negate: boolean;
  /** The score (after negation) at the current logits. */
  readonly score: number;
  /** d score / d logits at the current logits. */
  readonly seed: Float32Array;
}

export const topClass = (): Target => ({ kind: 'class' });
export const classTarget = (index: number): Target => ({ kind: 'class', index });
export const softmaxTarget = (index?: number): Target =>
  index === undefined ? { kind: 'softmax' } : { kind: 'softmax', index };
export const seedTarget = (seed: ArrayLike<number>): Target => ({ kind: 'seed', seed });
/** The counterfactual of a target: the same score, negated. */
export const negated = (t: Target): Target => ({ ...t, negate: !t.negate });

export function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

export function softmax(v: ArrayLike<number>): Float32Array {
  let m = -Infinity;
  for (let i = 0; i < v.length; i++) m = Math.max(m, v[i]!);
  const out = new Float32Array(v.length);
  let s = 0;
  for (let i = 0; i < v.length; i++) s += out[i] = Math.exp(v[i]! - m);
  for (let i = 0; i < v.length; i++) out[i]! /= s;
  return out;
}

/** Checks a target against the number of classes before any work is done. */
export function validateTarget(t: Target, numClasses: number): void {
  if (t.kind === 'seed') {
    if (t.seed.length !== numClasses)
      throw new BadTargetError(`seed vector has ${t.seed.length} entries, the model has ${numClasses} outputs`);
    for (let i = 0; i < t.seed.length; i++)
      if (!Number.isFinite(t.seed[i])) throw new BadTargetError(`seed vector entry ${i} is not finite`);
    return;
  }
  if (t.index !== undefined && (!Number.isInteger(t.index) || t.index < 0 || t.index >= numClasses)) {
    throw new BadTargetError(
      `target class ${t.index} is out of range: the model has ${numClasses} classes (0–${numClasses - 1})`,
    );
  }
}

/** Evaluates a target on one row of logits: the class, the score and d score / d logits. */
export function resolveTarget(t: Target, logits: ArrayLike<number>): ResolvedTarget {
  validateTarget(t, logits.length);
  const sign = t.negate ? -1 : 1;
  const negate = !!t.negate;
  const n = logits.length;
  const seed = new Float32Array(n);
  if (t.kind === 'seed') {
    let score = 0;
    for (let i = 0; i < n; i++) {
      seed[i] = sign * t.seed[i]!;
      score += seed[i]! * logits[i]!;
    }
    return { kind: 'seed', classIndex: null, negate, score, seed };
  }
  const c = t.index ?? argmax(logits);
  if (t.kind === 'class') {
    seed[c] = sign;
    return { kind: 'class', classIndex: c, negate, score: sign * logits[c]!, seed };
  }
  // d softmax_c / d y_j = p_c (δ_cj − p_j)
  const p = softmax(logits);
  for (let j = 0; j < n; j++) seed[j] = sign * p[c]! * ((j === c ? 1 : 0) - p[j]!);
  return { kind: 'softmax', classIndex: c, negate, score: sign * p[c]!, seed };
}
