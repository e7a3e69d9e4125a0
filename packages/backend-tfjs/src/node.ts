import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Backend } from '@gradscope/core';
import type { ModelFiles } from './model-files.js';
import { sidecarPath } from './sidecar.js';
import { createTfjsBackend } from './tfjs-backend.js';

/** model.json at a file path (or `file:` URL); weights and sidecar are read from its folder. */
export function nodeFiles(path: string): ModelFiles {
  const file = path.startsWith('file:') ? fileURLToPath(path) : resolve(path);
  const dir = dirname(file);
  return {
    source: path,
    readModelJson: () => readFile(file, 'utf8'),
    readWeights: async (p) => {
      const b = await readFile(resolve(dir, decodeURIComponent(p)));
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    },
    readSidecar: () => readFile(sidecarPath(file), 'utf8').catch(() => null),
  };
}

/** The tfjs backend for Node: also loads file paths and `file:` URLs. */
export const tfjsNodeBackend: Backend = createTfjsBackend({ pathFiles: nodeFiles });

export { createTfjsBackend } from './tfjs-backend.js';
