/**
 * Node entry: everything in the main entry, and a `createOnnxBackend` whose `load` also accepts file paths.
 *
 * @module @gradscope/backend-onnx/node
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ModelLoadError } from '@gradscope/core';
import { createOnnxBackend as createBase, type OnnxBackend, type OnnxBackendOptions } from './onnx-backend.js';

/** Reads a model file (a path or a `file:` URL), with a ModelLoadError for missing files. */
export async function readModelFile(path: string): Promise<Uint8Array> {
  const p = /^file:/i.test(path) ? fileURLToPath(path) : path;
  try {
    const b = await readFile(p);
    // a view, not a copy: a model's weights are most of it
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    throw new ModelLoadError(
      path,
      (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message,
      { cause: e },
    );
  }
}

/** The `onnx` backend for Node: like the main entry, and `load` also accepts file paths. */
export function createOnnxBackend(options: OnnxBackendOptions): OnnxBackend {
  return createBase({ readPath: readModelFile, ...options });
}

export * from './index.js';
