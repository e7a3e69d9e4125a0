import { ModelLoadError } from '@gradscope/core';
import type { ModelFiles } from './model-files.js';

const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/**
 * Browser `File`s (e.g. from `<input type="file" multiple>`): one model.json (any `*.json` that is not
 * a sidecar), its weight files matched by file name, and optionally a `*.gradscope.json` sidecar.
 */
export function browserFiles(files: readonly File[]): ModelFiles {
  const sidecar = files.find((f) => f.name.endsWith('.gradscope.json'));
  const jsons = files.filter((f) => f.name.endsWith('.json') && f !== sidecar);
  const json = jsons.find((f) => f.name === 'model.json') ?? (jsons.length === 1 ? jsons[0] : undefined);
  const source = json?.name ?? files.map((f) => f.name).join(', ');
  if (!json) throw new ModelLoadError(source, `expected one model.json among the files, got ${jsons.length}`);
  return {
    source,
    readModelJson: () => json.text(),
    readWeights: async (path) => {
      const f = files.find((x) => x.name === base(path));
      if (!f) throw new Error(`weights file '${base(path)}' was not among the files given`);
      return f.arrayBuffer();
    },
    readSidecar: async () => (sidecar ? sidecar.text() : null),
  };
}
