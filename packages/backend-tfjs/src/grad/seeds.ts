import { BadTargetError, resolveTarget, validateTarget, type ResolvedTarget, type Target } from '@gradscope/core';

/** True when d score / d logits does not depend on the logits (a fixed class or a seed vector). */
const fixedSeed = (t: Target): boolean => t.kind === 'seed' || (t.kind === 'class' && t.index !== undefined);

const sizeOf = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/**
 * Checks one target per image up front against the logits of one image (`dims`: `[K]`, or `[K, H, W]`
 * class planes), and returns the flattened `[N, …dims]` seed matrix when no target needs the logits
 * to define its seed (null otherwise).
 */
export function planSeeds(targets: readonly Target[], batch: number, dims: readonly number[]): Float32Array | null {
  if (targets.length !== batch)
    throw new BadTargetError(`${targets.length} targets given for a batch of ${batch} images; give one per image`);
  for (const t of targets) validateTarget(t, dims);
  if (!targets.every(fixedSeed)) return null;
  return seedsFor(targets, new Float32Array(batch * sizeOf(dims)), dims).seeds;
}

/** Resolves each image's target on its row of `logits` (`[N, …dims]` flattened). */
export function seedsFor(
  targets: readonly Target[],
  logits: Float32Array,
  dims: readonly number[],
): { seeds: Float32Array; resolved: ResolvedTarget[] } {
  const size = sizeOf(dims);
  const seeds = new Float32Array(targets.length * size);
  const resolved = targets.map((t, i) => {
    const r = resolveTarget(t, logits.subarray(i * size, (i + 1) * size), dims);
    seeds.set(r.seed, i * size);
    return r;
  });
  return { seeds, resolved };
}
