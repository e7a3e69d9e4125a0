import * as tf from '@tensorflow/tfjs';
import { GradscopeError } from '@gradscope/core';

export type TfjsBackendName = 'wasm' | 'webgl' | 'webgpu' | 'cpu';

/** The tfjs backend asked for could not be activated (tfjs would otherwise fall back silently). */
export class TfjsBackendUnavailableError extends GradscopeError {
  constructor(
    readonly requested: string,
    readonly active: string,
  ) {
    super('runtime-unavailable', `tfjs backend '${requested}' is not available (tfjs is using '${active}')`);
    this.name = 'TfjsBackendUnavailableError';
  }
}

/**
 * Activates a tfjs backend and waits until it is ready; throws {@link TfjsBackendUnavailableError}
 * if tfjs ended up on another one. `wasm` and `webgpu` load their optional peer packages
 * (`@tensorflow/tfjs-backend-wasm`, `@tensorflow/tfjs-backend-webgpu`) on demand; in a browser give
 * `wasmPaths` (where the `.wasm` files are served) unless your bundler handles them.
 */
export async function useTfjsBackend(name: TfjsBackendName, options: { wasmPaths?: string } = {}): Promise<void> {
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (options.wasmPaths) wasm.setWasmPaths(options.wasmPaths);
  } else if (name === 'webgpu') {
    await import('@tensorflow/tfjs-backend-webgpu');
  }
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch {
    ok = false;
  }
  if (!ok || tf.getBackend() !== name) throw new TfjsBackendUnavailableError(name, tf.getBackend() ?? 'none');
}
