import { scaledNormalization, type Normalization } from '@gradscope/core';
import { CliError } from './cli-error.js';
import type { Sidecar } from './sidecar.js';

/** The flags that say how pixels are normalised. */
export interface NormalizationFlags {
  readonly sidecar: Sidecar;
  readonly mean?: readonly number[];
  readonly std?: readonly number[];
  /** `--scale R`: the network takes pixels in [0, R]; --mean/--std are in those units. */
  readonly scale?: number;
}

function chooseMeanStd(job: NormalizationFlags): Normalization | undefined {
  const side = job.sidecar.normalization;
  if (!job.mean && !job.std) return side;
  const mean = job.mean ?? side?.mean ?? job.std!.map(() => 0);
  const std = job.std ?? side?.std ?? mean.map(() => 1);
  if (mean.length !== std.length) throw new CliError(`--mean has ${mean.length} values but --std has ${std.length}`);
  if (std.some((s) => s <= 0)) throw new CliError('--std values must be positive');
  return { mean, std };
}

/**
 * `--mean/--std` over the sidecar's normalisation, in units of `--scale` (else the sidecar's
 * pixelRange), as a normalisation of pixels in [0, 1]; undefined when nothing says anything.
 */
export function chooseNormalization(job: NormalizationFlags): Normalization | undefined {
  return scaledNormalization(chooseMeanStd(job), job.scale ?? job.sidecar.pixelRange);
}
