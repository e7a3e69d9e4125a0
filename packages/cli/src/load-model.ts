import { stat } from 'node:fs/promises';
import {
  isGradscopeError,
  ModelLoadError,
  type Backend,
  type Gradscope,
  type LoadOptions,
  type Model,
  type ModelSource,
} from '@gradscope/core';
import { CliError } from './cli-error.js';

/** The registered backend `id`, or a one-line error listing the ones that are. */
export function lookupBackend(gs: Gradscope, id: string): Backend {
  try {
    return gs.backend(id);
  } catch (e) {
    if (!isGradscopeError(e, 'unknown-backend')) throw e;
    const have = gs.backends().map((b) => b.id);
    throw new CliError(`backend '${id}' is not installed/registered; available: ${have.join(', ') || 'none'}`);
  }
}

/** A path source must be an existing file (checked before anything slow happens). */
export async function checkModelFile(source: ModelSource, label: string): Promise<void> {
  if (typeof source !== 'string') return;
  const s = await stat(source).catch(() => null);
  if (!s) throw new CliError(`model file not found: ${label}`);
  if (!s.isFile()) throw new CliError(`model path is not a file: ${label}`);
}

/**
 * Loads a model on `backend`. A missing file is reported as such; a failure that is not already a
 * gradscope error becomes a `ModelLoadError` naming the model (one line).
 */
export async function loadModel(
  backend: Backend,
  source: ModelSource,
  label: string,
  options: LoadOptions,
): Promise<Model> {
  await checkModelFile(source, label);
  try {
    return await backend.load(source, options);
  } catch (e) {
    if (isGradscopeError(e)) throw e;
    const reason = e instanceof Error ? e.message.split('\n', 1)[0]! : String(e);
    throw new ModelLoadError(label, reason, { cause: e });
  }
}
