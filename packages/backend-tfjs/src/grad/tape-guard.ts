import * as tf from '@tensorflow/tfjs';

interface EngineState {
  activeTape: { saved?: tf.Tensor[] }[] | null;
  gradientDepth: number;
}

/**
 * Runs a tfjs gradient computation; if it throws, disposes the tensors the aborted tape still
 * holds (tfjs only frees them when a backward pass completes, so an exception would leak them).
 */
export function guardTape<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const state = (tf.engine() as unknown as { state: EngineState }).state;
    if (state.gradientDepth === 0 && state.activeTape) {
      for (const node of state.activeTape) for (const t of node.saved ?? []) t.dispose();
      state.activeTape = null;
    }
    throw e;
  }
}
