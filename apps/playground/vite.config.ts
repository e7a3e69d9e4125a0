import { defaultClientConditions, defineConfig } from 'vite';
import { localAssets } from './local-assets.js';

/**
 * The playground imports the BUILT gradscope packages (their `exports` without the
 * `gradscope-source` condition), as a user's app does. Runtime files (onnxruntime-web's and
 * tfjs-backend-wasm's .wasm/.mjs), the built-in model and the sample images are served from the
 * app's own origin under /wasm, /models and /samples (see local-assets.ts): nothing is fetched from
 * a CDN. onnxruntime-web stays out of dependency pre-bundling so it keeps its module layout.
 */
export default defineConfig({
  base: './',
  // Unknown paths are 404s (not index.html), so a mistyped model URL says so.
  appType: 'mpa',
  plugins: [localAssets()],
  // onnxruntime-web's build that loads its .wasm/.mjs from `ort.env.wasm.wasmPaths` (our /wasm/)
  // instead of embedding a URL that makes the bundler copy the 28 MB file a second time.
  resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
  optimizeDeps: { exclude: ['onnxruntime-web', 'onnxruntime-web/wasm', 'onnxruntime-web/webgpu'] },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096, reportCompressedSize: true },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
