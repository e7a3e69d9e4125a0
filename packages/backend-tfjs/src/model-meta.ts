import type { Normalization } from '@gradscope/core';

/** What is known about a model besides its graph: from the sidecar file and the load options. */
export interface ModelMeta {
  readonly name?: string;
  readonly normalization?: Normalization;
  readonly classes?: readonly string[];
  readonly inputSize?: { readonly height: number; readonly width: number };
}
