import { GradscopeError } from '@gradscope/core';

/** Why a guardrail stopped GAIN training. */
export type GainFailure = 'nan' | 'collapse' | 'tensor-growth';

/**
 * GAIN training was stopped by a guardrail: a non-finite loss (`nan`), Grad-CAM maps that stayed
 * identically zero (`collapse`, e.g. a detached normaliser under a large ω_e), or a tensor count
 * that kept growing (`tensor-growth`, a leak). `step` is the global batch index.
 */
export class GainTrainingError extends GradscopeError {
  constructor(
    readonly failure: GainFailure,
    readonly step: number,
    detail: string,
  ) {
    super('training-failed', `GAIN training stopped at step ${step} (${failure}): ${detail}`);
    this.name = 'GainTrainingError';
  }
}
