import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { browserConditions, chromiumBrowser } from '../../vitest.browser.shared.js';

/**
 * Browser tests of the ONNX backend (`test/*.browser.test.ts`): onnxruntime-web (wasm, one thread)
 * in Chromium. The fixtures are served at `/` (`/resnet18/model.onnx`, …). onnxruntime-web is
 * excluded from dependency pre-bundling so that it finds its .wasm files next to its module.
 */
const fixtures = fileURLToPath(new URL('./test/fixtures/', import.meta.url));

export default defineConfig({
  publicDir: fixtures,
  resolve: { conditions: browserConditions },
  optimizeDeps: {
    exclude: ['onnxruntime-web'],
    include: ['@gradscope/onnx-proto > onnx-proto', '@gradscope/onnx-proto > protobufjs/minimal.js'],
  },
  test: {
    name: 'backend-onnx-browser',
    include: ['test/**/*.browser.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    browser: chromiumBrowser({ webgpu: true }),
  },
});
