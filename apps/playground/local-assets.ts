import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const app = fileURLToPath(new URL('.', import.meta.url));
/** A dependency's folder (some, like onnxruntime-web, export no package.json to resolve). */
const pkgDir = (name: string) => realpathSync(join(app, 'node_modules', name));

/** Served path → file on disk: the runtimes' wasm files, the built-in model, the sample images. */
function assets(): Map<string, string> {
  const out = new Map<string, string>();
  const ort = join(pkgDir('onnxruntime-web'), 'dist');
  // The wasm build, and the JSEP build that carries the WebGPU execution provider.
  for (const f of readdirSync(ort))
    if (/^ort-wasm-simd-threaded(\.jsep)?\.(wasm|mjs)$/.test(f)) out.set(`wasm/${f}`, join(ort, f));
  const tfw = join(pkgDir('@tensorflow/tfjs-backend-wasm'), 'dist');
  for (const f of readdirSync(tfw)) if (f.endsWith('.wasm')) out.set(`wasm/${f}`, join(tfw, f));
  const shapes = pkgDir('@gradscope/shapes');
  for (const f of readdirSync(join(shapes, 'model'))) out.set(`models/shapes/${f}`, join(shapes, 'model', f));
  for (const f of readdirSync(join(shapes, 'samples')))
    if (!f.endsWith('.npy')) out.set(`samples/${f}`, join(shapes, 'samples', f));
  // The GAIN experiment's baseline and GAIN_ext models (tfjs + ONNX + sidecar) and their biased-shapes samples.
  const gain = join(pkgDir('@gradscope/gain'), 'experiment');
  for (const [id, dir] of [
    ['gain-baseline', 'baseline'],
    ['gain-ext', 'gain-ext'],
  ])
    for (const f of readdirSync(join(gain, 'models', dir))) out.set(`models/${id}/${f}`, join(gain, 'models', dir, f));
  for (const f of readdirSync(join(gain, 'samples')))
    if (!f.endsWith('.npy')) out.set(`samples/gain/${f}`, join(gain, 'samples', f));
  return out;
}

const TYPES: Record<string, string> = {
  wasm: 'application/wasm',
  mjs: 'text/javascript',
  json: 'application/json',
  png: 'image/png',
};

/** Serves the files in dev and emits them (under their fixed names) in the production build. */
export function localAssets(): Plugin {
  const files = assets();
  return {
    name: 'gradscope-playground-local-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = decodeURIComponent((req.url ?? '').split('?')[0]!.replace(/^\//, ''));
        const file = files.get(path);
        if (!file) return next();
        res.setHeader('Content-Type', TYPES[path.split('.').pop()!] ?? 'application/octet-stream');
        res.end(readFileSync(file));
      });
    },
    generateBundle() {
      for (const [fileName, file] of files) this.emitFile({ type: 'asset', fileName, source: readFileSync(file) });
    },
  };
}
