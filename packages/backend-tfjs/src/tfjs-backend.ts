import { ModelLoadError, type Backend, type LoadOptions, type Model, type ModelSource } from '@gradscope/core';
import { browserFiles } from './browser-files.js';
import { TFJS_BACKEND_CAPABILITIES } from './capabilities.js';
import { loadModelFiles } from './load-model-files.js';
import type { ModelFiles } from './model-files.js';
import { urlFiles } from './url-files.js';

const URL_LIKE = /^(https?|blob|data):/i;

/** Options of {@link createTfjsBackend}. */
export interface TfjsBackendOptions {
  /** Turns a file path (or `file:` URL) into readable files; only the Node entry provides one. */
  readonly pathFiles?: (path: string, options?: LoadOptions) => ModelFiles;
}

/**
 * The tfjs backend (id `tfjs`): loads LayersModels (`model.json` + weights, functional, Sequential
 * or nested) and tfjs-converter GraphModels from a URL or browser `File`s (file paths through
 * `@gradscope/backend-tfjs/node`), with the optional `<model>.gradscope.json` sidecar. Runs on
 * whatever tfjs backend is active (see `useTfjsBackend`).
 */
export function createTfjsBackend(options: TfjsBackendOptions = {}): Backend {
  return {
    id: 'tfjs',
    capabilities: new Set(TFJS_BACKEND_CAPABILITIES),
    async load(source: ModelSource, opts?: LoadOptions): Promise<Model> {
      return loadModelFiles(toFiles(source, options, opts), opts);
    },
  };
}

function toFiles(source: ModelSource, options: TfjsBackendOptions, opts: LoadOptions = {}): ModelFiles {
  if (source instanceof URL) source = source.href;
  if (typeof source === 'string') {
    if (URL_LIKE.test(source)) return urlFiles(source);
    if (options.pathFiles) return options.pathFiles(source, opts);
    throw new ModelLoadError(source, "file paths and file: URLs need the Node entry '@gradscope/backend-tfjs/node'");
  }
  if (Array.isArray(source)) return browserFiles(source as readonly File[]);
  if (typeof source === 'object' && source !== null && 'kind' in source && source.kind === 'files')
    return browserFiles(source.files);
  throw new ModelLoadError(
    'bytes',
    'a tfjs model is a model.json plus weight files: pass a path, a URL or the files, not raw bytes',
  );
}

/** The tfjs backend for browsers and bundlers (URLs and `File`s). */
export const tfjsBackend: Backend = createTfjsBackend();
