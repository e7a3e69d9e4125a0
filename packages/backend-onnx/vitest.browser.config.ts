import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

/**
 * Browser tests of the ONNX backend (`test/*.browser.test.ts`): onnxruntime-web (wasm, one thread)
 * in Debian's Chromium (override with GRADSCOPE_CHROMIUM) through Playwright. The fixtures are
 * served at `/` (`/resnet18/model.onnx`, …). onnxruntime-web is excluded from dependency
 * pre-bundling so that it finds its .wasm files next to its module.
 */
const chromium = process.env.GRADSCOPE_CHROMIUM ?? '/usr/bin/chromium';
const fixtures = fileURLToPath(new URL('./test/fixtures/', import.meta.url));

export default defineConfig({
  publicDir: fixtures,
  resolve: { conditions: ['gradscope-source', 'module', 'browser', 'import', 'default'] },
  optimizeDeps: { exclude: ['onnxruntime-web'], include: ['onnx-proto', 'protobufjs/minimal.js'] },
  test: {
    name: 'backend-onnx-browser',
    include: ['test/**/*.browser.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          executablePath: chromium,
          args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
