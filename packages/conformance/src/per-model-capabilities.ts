import type { Capability } from '@gradscope/core';

/**
 * Capabilities that depend on the model, not only on the backend: a backend that declares one may
 * leave it out of a model's `capabilities` when that model lacks the structure (`linear-head`: no
 * conv → global average pooling → dense head). Every other capability is backend-wide: a model
 * declares exactly the backend's.
 */
export const PER_MODEL_CAPABILITIES: readonly Capability[] = ['linear-head'];

/** The per-model capabilities among `needs` (e.g. a method's `requires`). */
export const perModelOf = (needs: Iterable<Capability>): Capability[] =>
  [...needs].filter((c) => PER_MODEL_CAPABILITIES.includes(c));
