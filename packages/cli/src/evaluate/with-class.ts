import type { Target } from '@gradscope/core';

/**
 * `t` explaining class `index`: targets that take a class (class, softmax, ReST, finer) get it; the
 * others (binary, similarity, seed) and `index` null leave `t` as it is. Re-explaining a perturbed
 * input with this target keeps the class of the original explanation instead of the new top-1.
 */
export function withClass(t: Target, index: number | null): Target {
  if (index === null) return t;
  return t.kind === 'class' || t.kind === 'softmax' || t.kind === 'rest' || t.kind === 'finer' ? { ...t, index } : t;
}
