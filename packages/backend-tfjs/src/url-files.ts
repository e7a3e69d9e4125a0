import type { ModelFiles } from './model-files.js';
import { sidecarPath } from './sidecar.js';

async function get(url: string): Promise<Response> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`HTTP ${r.status} for ${url}`);
  return r;
}

/** model.json at a URL (http, https, blob, data); weights and sidecar are resolved relative to it. */
export function urlFiles(url: string): ModelFiles {
  return {
    source: url,
    readModelJson: async () => (await get(url)).text(),
    readWeights: async (path) => (await get(new URL(path, url).href)).arrayBuffer(),
    readSidecar: async () => {
      try {
        const r = await fetch(sidecarPath(url));
        return r.ok ? await r.text() : null;
      } catch {
        return null;
      }
    },
  };
}
