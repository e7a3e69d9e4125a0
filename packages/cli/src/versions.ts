import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Packages whose versions result.json records, when they resolve from the CLI. */
const PACKAGES = [
  '@gradscope/core',
  '@gradscope/backend-tfjs',
  '@gradscope/backend-onnx',
  '@gradscope/methods',
  '@gradscope/render',
  '@gradscope/shapes',
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-backend-wasm',
  'onnxruntime-node',
];

/** Versions of the CLI, the gradscope packages and runtimes it resolves, and Node. */
export function packageVersions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const out: Record<string, string> = {};
  const read = (file: string): string | undefined => {
    try {
      return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version;
    } catch {
      return undefined;
    }
  };
  const own = read(fileURLToPath(new URL('../package.json', import.meta.url)));
  if (own) out['@gradscope/cli'] = own;
  for (const p of PACKAGES) {
    let file: string;
    try {
      file = require.resolve(`${p}/package.json`);
    } catch {
      continue;
    }
    const v = read(file);
    if (v) out[p] = v;
  }
  out.node = process.versions.node;
  return out;
}
