import {
  BadInputError,
  MissingCapabilityError,
  resolveTarget,
  type Model,
  type Target,
  type Tensor,
} from '@gradscope/core';
import { hog } from './hog.js';
import { pearson, spearman } from './spearman.js';
import { ssim, type SsimWindow } from './ssim.js';

/** What {@link sanityCheck} randomises and how it explains. */
export interface SanityCheckOptions {
  /** The trained model (capability `randomize-weights`); it is not modified. */
  readonly model: Model;
  /** `[1, …]` in the model's layout, normalised. */
  readonly input: Tensor;
  /** The target explained; a class target without an index is fixed to the trained model's top-1. */
  readonly target: Target;
  /** Explains `input` for `target` on `model` (trained or randomised): an `[H, W]` map. */
  readonly explain: (model: Model, input: Tensor, target: Target) => Promise<Tensor>;
  /** Layers to randomise, from the top (the logits layer first, as the paper's cascade). */
  readonly layers: readonly string[];
  /** `cascading`: step k randomises layers 1…k; `independent`: step k randomises layer k only. */
  readonly mode: 'cascading' | 'independent';
  /** Seed of the re-initialisation (`Model.randomized`). */
  readonly seed: number;
  /** SSIM window: `gaussian` (default, the paper's notebooks) or `uniform` (skimage's default). */
  readonly ssimWindow?: SsimWindow;
}

/** The similarities of the trained model's map and one randomised model's map. */
export interface SanityStep {
  /** The layer this step adds (cascading) or randomises alone (independent). */
  readonly layer: string;
  /** Every layer randomised in this step. */
  readonly randomized: readonly string[];
  /** Spearman rank correlation of the maps, and of their absolute values. */
  readonly spearman: number;
  readonly spearmanAbs: number;
  /** Mean SSIM of the min–max normalised maps (data range 1). */
  readonly ssim: number;
  /**
   * Pearson correlation of the HOG features of the min–max normalised maps (the paper's text;
   * its notebooks take Spearman's).
   */
  readonly hog: number;
  /** The randomised model's map. */
  readonly map: Tensor;
}

export interface SanityCheckResult {
  readonly mode: 'cascading' | 'independent';
  readonly seed: number;
  /** The target every map explains (its class fixed on the trained model). */
  readonly target: Target;
  /** The trained model's map. */
  readonly original: Tensor;
  readonly steps: readonly SanityStep[];
}

/** `[0, 1]` by min–max (all zeros for a constant map), as the paper's `normalize_image`. */
function norm01(d: ArrayLike<number>): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < d.length; i++) [lo, hi] = [Math.min(lo, d[i]!), Math.max(hi, d[i]!)];
  return Float64Array.from(d, (v) => (hi > lo ? (v - lo) / (hi - lo) : 0));
}

/**
 * Spearman (plain and absolute), SSIM and HOG similarity of two `[H, W]` maps, as the paper computes
 * them. NaN where a measure is undefined: Spearman of a constant map, SSIM under 11×11 (the
 * Gaussian window), HOG under 48×48 (one block of 3×3 cells of 16 pixels).
 */
export function mapSimilarity(
  a: Tensor,
  b: Tensor,
  window: SsimWindow = 'gaussian',
): Omit<SanityStep, 'layer' | 'randomized' | 'map'> {
  const [h, w] = a.shape as [number, number];
  if (a.shape.length !== 2 || b.shape[0] !== h || b.shape[1] !== w)
    throw new BadInputError(`maps of shape [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`);
  const [a01, b01] = [norm01(a.data), norm01(b.data)];
  return {
    spearman: spearman(a.data, b.data),
    spearmanAbs: spearman(a.data.map(Math.abs), b.data.map(Math.abs)),
    ssim: h >= 11 && w >= 11 ? ssim(a01, b01, h, w, window) : NaN,
    hog: h >= 48 && w >= 48 ? pearson(hog(a01, h, w), hog(b01, h, w)) : NaN,
  };
}

/** `t` with its class fixed to `c` when it names none. */
function fixClass(t: Target, c: number | null): Target {
  const classed = t.kind === 'class' || t.kind === 'softmax' || t.kind === 'rest' || t.kind === 'finer';
  return classed && t.index === undefined && c !== null ? { ...t, index: c } : t;
}

/**
 * The model-randomisation test of Adebayo et al. (2018, "Sanity Checks for Saliency Maps",
 * https://arxiv.org/abs/1810.03292): explains `input` on the trained model, then on copies whose
 * layers are re-initialised (`Model.randomized`: He truncated normal kernels, seeded) — cascading from
 * the top or one layer at a time — and compares each map with the trained one by Spearman rank
 * correlation (with and without absolute values), SSIM and HOG similarity. An explanation that stays
 * similar while the weights are destroyed does not explain the model. Every copy is disposed.
 */
export async function sanityCheck(o: SanityCheckOptions): Promise<SanityCheckResult> {
  const { model, input, layers } = o;
  if (!model.capabilities.has('randomize-weights') || !model.randomized)
    throw new MissingCapabilityError('sanity-check', model.backend, ['randomize-weights']);
  if (!layers.length) throw new BadInputError('the sanity check needs at least one layer to randomise');
  const logits = await model.forward(input);
  const target = fixClass(o.target, resolveTarget(o.target, logits.data.subarray(0, model.numClasses)).classIndex);
  const original = await o.explain(model, input, target);
  const steps: SanityStep[] = [];
  for (let k = 0; k < layers.length; k++) {
    const randomized = o.mode === 'cascading' ? layers.slice(0, k + 1) : [layers[k]!];
    const copy = await model.randomized(randomized, { seed: o.seed });
    try {
      const map = await o.explain(copy, input, target);
      steps.push({ layer: layers[k]!, randomized, ...mapSimilarity(original, map, o.ssimWindow), map });
    } finally {
      await copy.dispose();
    }
  }
  return { mode: o.mode, seed: o.seed, target, original, steps };
}
