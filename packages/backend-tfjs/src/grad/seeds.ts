import { BadTargetError, resolveTarget, validateTarget, type ResolvedTarget, type Target } from '@gradscope/core';

/** True when d score / d logits does not depend on the logits (a fixed class or a seed vector). */
const fixedSeed = (t: Target): boolean => t.kind === 'seed' || (t.kind === 'class' && t.index !== undefined);

/**
 * Checks one target per image up front, and returns the flattened `[N, K]` seed matrix when no
 * target needs the logits to define its seed (null otherwise).
 */
export function planSeeds(targets: readonly Target[], batch: number, numClasses: number): Float32Array | null {
  if (targets.length !== batch)
    throw new BadTargetError(`${targets.length} targets given for a batch of ${batch} images; give one per image`);
  for (const t of targets) validateTarget(t, numClasses);
  if (!targets.every(fixedSeed)) return null;
  return seedsFor(targets, new Float32Array(batch * numClasses), numClasses).seeds;
}

/** Resolves each image's target on its row of `logits` (`[N, K]` flattened). */
export function seedsFor(
  targets: readonly Target[],
  logits: Float32Array,
  numClasses: number,
): { seeds: Float32Array; resolved: ResolvedTarget[] } {
  const seeds = new Float32Array(targets.length * numClasses);
  const resolved = targets.map((t, i) => {
    const r = resolveTarget(t, logits.subarray(i * numClasses, (i + 1) * numClasses));
    seeds.set(r.seed, i * numClasses);
    return r;
  });
  return { seeds, resolved };
}
