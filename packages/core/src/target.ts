import { BadTargetError } from './errors.js';
import { argmax } from './ops/softmax.js';
import { scoreAndSeed } from './target-scores.js';

export { argmax, softmax } from './ops/softmax.js';

/**
 * What to explain: turns logits into the scalar score whose gradient is taken. Targets with an
 * optional `index` explain the top-1 class of each image when it is omitted.
 * - `class`: the logit `y[c]` (pytorch-grad-cam's `ClassifierOutputTarget`).
 * - `softmax`: the probability `softmax(y)[c]` (`ClassifierOutputSoftmaxTarget`).
 * - `rest`: `2·y[c] − logsumexp(y)`, the logit minus the cross-entropy (`ClassifierOutputReST`).
 * - `binary`: `±y[0]` of a one-output model (`BinaryClassifierOutputTarget`; `positive` false = −,
 *   omitted = the predicted decision).
 * - `similarity`: the cosine similarity of the outputs to `vector` (a concept embedding).
 * - `finer`: FinerCAM's `Σ_j p_j (y_c − α·y_j) / (Σ_j p_j + 1e-9)` over the comparison classes j
 *   (ranks of `|y_k − y_c|`, default 1, 2, 3 — fewer when the model has fewer classes), p = softmax(y),
 *   not detached (`FinerWeightedTarget`).
 * - `seed`: any seed vector d(score)/d(logits) over the outputs.
 * - `region`: a segmentation model's `Σ_{h,w} mask[h,w]·y[c,h,w]` over its output `[K, H, W]`, read
 *   channels-first and flattened (pytorch-grad-cam's `SemanticSegmentationTarget`); `mask` is `[H, W]`
 *   row-major at the output's resolution, K = outputs / (H·W).
 * `negate` flips the score (counterfactual explanations: what lowers the class).
 */
export type Target =
  | { readonly kind: 'class'; readonly index?: number; readonly negate?: boolean }
  | { readonly kind: 'softmax'; readonly index?: number; readonly negate?: boolean }
  | { readonly kind: 'rest'; readonly index?: number; readonly negate?: boolean }
  | { readonly kind: 'binary'; readonly positive?: boolean; readonly negate?: boolean }
  | { readonly kind: 'similarity'; readonly vector: ArrayLike<number>; readonly negate?: boolean }
  | {
      readonly kind: 'finer';
      readonly index?: number;
      readonly alpha?: number;
      readonly ranks?: readonly number[];
      readonly negate?: boolean;
    }
  | { readonly kind: 'seed'; readonly seed: ArrayLike<number>; readonly negate?: boolean }
  | {
      readonly kind: 'region';
      readonly index: number;
      readonly mask: ArrayLike<number>;
      readonly maskShape: readonly [number, number];
      readonly negate?: boolean;
    };

/** A target evaluated on one image's logits. */
export interface ResolvedTarget {
  readonly kind: Target['kind'];
  /** The class explained (null for a free seed vector or a similarity). */
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
export const restTarget = (index?: number): Target =>
  index === undefined ? { kind: 'rest' } : { kind: 'rest', index };
/**
 * A one-output (sigmoid) model: explain the positive (`true`) or the negative (`false`) decision;
 * without an argument, the predicted one (positive when the logit is ≥ 0, i.e. p ≥ 0.5).
 */
export const binaryTarget = (positive?: boolean): Target =>
  positive === undefined ? { kind: 'binary' } : { kind: 'binary', positive };
export const similarityTarget = (vector: ArrayLike<number>): Target => ({ kind: 'similarity', vector });
export const finerTarget = (index?: number, options: { alpha?: number; ranks?: readonly number[] } = {}): Target => ({
  kind: 'finer',
  ...(index === undefined ? {} : { index }),
  ...options,
});
export const seedTarget = (seed: ArrayLike<number>): Target => ({ kind: 'seed', seed });
/** Class `index` summed over `mask` (`[height, width]`, row-major) of a `[K, H, W]` output. */
export const regionTarget = (index: number, mask: ArrayLike<number>, shape: readonly [number, number]): Target => ({
  kind: 'region',
  index,
  mask,
  maskShape: [shape[0], shape[1]],
});
/** The counterfactual of a target: the same score, negated. */
export const negated = (t: Target): Target => ({ ...t, negate: !t.negate });

function checkVector(what: string, v: ArrayLike<number>, numClasses: number): void {
  if (v.length !== numClasses)
    throw new BadTargetError(`${what} has ${v.length} entries, the model has ${numClasses} outputs`);
  for (let i = 0; i < v.length; i++)
    if (!Number.isFinite(v[i])) throw new BadTargetError(`${what} entry ${i} is not finite`);
}

/** The number of classes K of a region target's `[K, H, W]` output of `numOutputs` values. */
function regionClasses(t: Extract<Target, { kind: 'region' }>, numOutputs: number): number {
  const [h, w] = t.maskShape;
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < 1 || w < 1 || t.mask.length !== h * w)
    throw new BadTargetError(`region mask has ${t.mask.length} entries, not the ${h}×${w} of its shape [${h}, ${w}]`);
  if (numOutputs % (h * w) !== 0)
    throw new BadTargetError(
      `region mask is [${h}, ${w}] but the model output has ${numOutputs} values per image, not [K, ${h}, ${w}]: the mask must be [H, W] at the output's resolution`,
    );
  for (let i = 0; i < t.mask.length; i++)
    if (!Number.isFinite(t.mask[i])) throw new BadTargetError(`region mask entry ${i} is not finite`);
  // a region always names its class: an argmax over K·H·W outputs would not be one
  if (t.index === undefined) throw new BadTargetError('a region target needs a class index');
  return numOutputs / (h * w);
}

/** Target kinds that read the whole output, so they apply to a segmentation model's class planes. */
const WHOLE_OUTPUT: ReadonlySet<Target['kind']> = new Set(['region', 'seed', 'similarity']);

/**
 * Checks a target against the outputs of one image before any work is done: their number (a
 * classifier's classes), or their shape (`Model.outputShape`: `[K]`, or `[K, H, W]` class planes, on
 * which a target that needs one logit per class is a BadTargetError naming the shape).
 */
export function validateTarget(t: Target, outputs: number | readonly number[]): void {
  if (typeof outputs !== 'number') return validatePlanes(t, outputs);
  let numClasses = outputs;
  switch (t.kind) {
    case 'region':
      numClasses = regionClasses(t, numClasses);
      break;
    case 'seed':
      return checkVector('seed vector', t.seed, numClasses);
    case 'similarity':
      return checkVector('similarity vector', t.vector, numClasses);
    case 'binary':
      if (numClasses !== 1)
        throw new BadTargetError(
          `a binary target needs a model with one output (a sigmoid score); this model has ${numClasses}`,
        );
      return;
    case 'finer': {
      if (numClasses < 2) throw new BadTargetError(`a finer target compares classes; this model has ${numClasses}`);
      const ranks = t.ranks ?? [];
      for (const r of ranks)
        if (!Number.isInteger(r) || r < 1 || r >= numClasses)
          throw new BadTargetError(
            `finer comparison rank ${r} is out of range: ranks run from 1 to ${numClasses - 1} for ${numClasses} classes`,
          );
      if (t.alpha !== undefined && !Number.isFinite(t.alpha)) throw new BadTargetError('finer alpha is not finite');
      break;
    }
  }
  if (t.index !== undefined && (!Number.isInteger(t.index) || t.index < 0 || t.index >= numClasses)) {
    throw new BadTargetError(
      `target class ${t.index} is out of range: the model has ${numClasses} classes (0–${numClasses - 1})`,
    );
  }
}

function validatePlanes(t: Target, shape: readonly number[]): void {
  const size = shape.reduce((a, b) => a * b, 1);
  if (shape.length < 2) return validateTarget(t, size);
  if (!WHOLE_OUTPUT.has(t.kind))
    throw new BadTargetError(
      `a ${t.kind} target needs one logit per class, but this model outputs class planes [N, ${shape.join(', ')}] ` +
        `(a segmentation model): explain a region of a class with regionTarget(c, mask, [${shape.slice(1).join(', ')}]) ` +
        '(CLI: --target c --target-mask <mask.npy>), or give a seed over the whole output',
    );
  if (t.kind === 'region' && shape.length === 3) {
    const [h, w] = t.maskShape;
    if (h !== shape[1] || w !== shape[2])
      throw new BadTargetError(
        `region mask is [${h}, ${w}] but the model's class planes are [${shape.slice(1).join(', ')}] (output [N, ${shape.join(', ')}])`,
      );
  }
  validateTarget(t, size);
}

/**
 * Evaluates a target on one image's logits: the class, the score and d score / d logits. `shape` is
 * the model's `outputShape` when it outputs class planes (checked as `validateTarget` does).
 */
export function resolveTarget(t: Target, logits: ArrayLike<number>, shape?: readonly number[]): ResolvedTarget {
  validateTarget(t, shape ?? logits.length);
  const sign = t.negate ? -1 : 1;
  const c =
    'index' in t || t.kind === 'class' || t.kind === 'softmax' || t.kind === 'rest' || t.kind === 'finer'
      ? ((t as { index?: number }).index ?? argmax(logits))
      : null;
  const { score, seed } = scoreAndSeed(t, logits, c);
  if (sign < 0) for (let i = 0; i < seed.length; i++) seed[i] = -seed[i]! + 0; // + 0: no −0 entries
  return { kind: t.kind, classIndex: t.kind === 'binary' ? 0 : c, negate: !!t.negate, score: sign * score, seed };
}
