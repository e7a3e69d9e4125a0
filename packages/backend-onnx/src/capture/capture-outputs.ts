import type { Tensor } from '@gradscope/core';
import type { BackwardModel } from '../grad/backward-model.js';
import type { OutputReader } from '../ort-tensors.js';
import type { OrtTensor } from '../ort-types.js';

/** Activations, gradients and input gradient of a capture run, keyed by the requested layer names. */
export interface CaptureOutputs {
  readonly activations: Map<string, Tensor>;
  readonly gradients: Map<string, Tensor>;
  readonly inputGradient?: Tensor;
}

/** Reads what a capture asked for from the run's outputs (`tensors[k]` is the graph tensor of `layers[k]`). */
export function readCaptureOutputs(
  reader: OutputReader,
  out: Record<string, OrtTensor>,
  req: { readonly layers: readonly string[]; readonly gradients: boolean },
  tensors: readonly string[],
  backward: Pick<BackwardModel, 'gradients' | 'inputGradient'> | undefined,
): CaptureOutputs {
  const activations = new Map<string, Tensor>();
  const gradients = new Map<string, Tensor>();
  req.layers.forEach((l, k) => {
    activations.set(l, reader.take(out, tensors[k]!));
    if (backward && req.gradients) gradients.set(l, reader.take(out, backward.gradients[k]!));
  });
  const inputGradient = backward?.inputGradient ? reader.take(out, backward.inputGradient) : undefined;
  return { activations, gradients, ...(inputGradient ? { inputGradient } : {}) };
}
