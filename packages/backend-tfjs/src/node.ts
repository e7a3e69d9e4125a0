/**
 * Node entry: `tfjsNodeBackend`, which loads `model.json` from a file path (with its `.gradscope.json` sidecar).
 *
 * @module @gradscope/backend-tfjs/node
 */
import { lstat, readFile, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Backend, LoadOptions } from '@gradscope/core';
import type { ModelFiles } from './model-files.js';
import { sidecarPath } from './sidecar.js';
import { createTfjsBackend } from './tfjs-backend.js';

const inside = (dir: string, p: string): boolean => {
  const r = relative(dir, p);
  return r !== '' && !r.startsWith('..') && !isAbsolute(r);
};

/** Refusal of a weight path that leaves the model's folder: says nothing about the file it names. */
const outside = (): Error =>
  new Error(
    `it points outside the model's folder, which is refused unless allowPathsOutsideModelDir (CLI: --allow-paths-outside-model-dir) trusts the layout`,
  );

/**
 * model.json at a file path (or `file:` URL); weights and sidecar are read from its folder. A weight
 * path must stay inside that folder — lexically and after resolving symbolic links — unless
 * `allowPathsOutsideModelDir` is set; it is checked before the file is touched.
 */
export function nodeFiles(path: string, options: LoadOptions = {}): ModelFiles {
  const file = path.startsWith('file:') ? fileURLToPath(path) : resolve(path);
  const dir = dirname(file);
  return {
    source: path,
    readModelJson: () => readFile(file, 'utf8'),
    readWeights: async (p) => {
      const target = resolve(dir, decodeURIComponent(p));
      if (!options.allowPathsOutsideModelDir) {
        if (!inside(dir, target)) throw outside();
        // a missing entry is 'not found'; an entry (a link) that resolves nowhere or outside is refused alike
        if (!(await lstat(target).catch(() => null))) throw new Error("no such file in the model's folder");
        const real = await realpath(target).catch(() => null);
        if (real === null || !inside(await realpath(dir), real)) throw outside();
      }
      const b = await readFile(target);
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    },
    readSidecar: () => readFile(sidecarPath(file), 'utf8').catch(() => null),
  };
}

/** The tfjs backend for Node: also loads file paths and `file:` URLs. */
export const tfjsNodeBackend: Backend = createTfjsBackend({ pathFiles: nodeFiles });

export { createTfjsBackend } from './tfjs-backend.js';
