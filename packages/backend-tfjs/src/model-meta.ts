import type { ModelSidecar } from '@gradscope/core';

/**
 * What is known about a model besides its graph: from the sidecar file and the load options. By the
 * time a model is created, `normalization` is over pixels in [0, 1] (a sidecar `pixelRange` folded in).
 */
export interface ModelMeta extends ModelSidecar {
  readonly name?: string;
  /** The output to explain (load option `output`). */
  readonly output?: string;
}
