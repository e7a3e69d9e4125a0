import { seededUniform } from './ops/random.js';

/**
 * The layer name `Model.randomized` reads as "the layer that computes the logits" (the head: the
 * last dense/Gemm, or whatever weighted layer produces the output), on every backend.
 */
export const LOGITS_LAYER = '(logits)';

/** How `Model.randomized` re-initialises weights. */
export interface RandomizeOptions {
  /** Seed of every draw: equal seeds and layers give equal weights (see {@link reinitializedWeights}). */
  readonly seed: number;
}

/**
 * What a weight tensor is to its layer, which decides its fresh values: `kernel` (conv, dense, Gemm
 * and MatMul weights), or a tensor its initializer sets to a constant (`zeros`: biases and batch-norm
 * β; `ones`: batch-norm γ). Batch-norm running statistics are not trained weights and are kept, as
 * Adebayo et al.'s code re-initialises `tf.trainable_variables()` only.
 */
export type WeightRole = 'kernel' | 'zeros' | 'ones';

/** FNV-1a of `seed` and `name`: the seed of one weight tensor's draws. */
function tensorSeed(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;
}

/**
 * Fresh values for one weight tensor, as Adebayo et al. (2018, "Sanity Checks for Saliency Maps")
 * re-initialise a layer: with its initializer. A `kernel` is drawn from He's truncated normal — each
 * value `N(0, σ²)` with `σ = √(2 / fanIn)`, redrawn until within ±2σ (TensorFlow's
 * `truncated_normal`) — normals by Box–Muller from `seededUniform`; `zeros` and `ones` are constant.
 * The generator is seeded by `seed` and the tensor's `name` only, so a tensor's new values do not
 * depend on which other layers are randomised (a cascade keeps the draws of the layers above).
 */
export function reinitializedWeights(
  role: WeightRole,
  size: number,
  fanIn: number,
  seed: number,
  name: string,
): Float32Array {
  const out = new Float32Array(size);
  if (role !== 'kernel') return out.fill(role === 'ones' ? 1 : 0);
  const sigma = Math.sqrt(2 / Math.max(1, fanIn));
  const u = seededUniform(tensorSeed(seed, name));
  for (let i = 0; i < size; i++) {
    let z: number;
    do z = Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
    while (Math.abs(z) > 2);
    out[i] = sigma * z;
  }
  return out;
}
