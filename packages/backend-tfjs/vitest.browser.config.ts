import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { browserConditions, chromiumBrowser } from '../../vitest.browser.shared.js';

/**
 * Browser tests of the tfjs backend (`test/*.browser.test.ts`) in Debian's Chromium: webgl and webgpu
 * (software adapters) against the conformance fixtures' torch goldens, served at `/`
 * (`/tiny-cnn/manifest.json`, …).
 */
const fixtures = fileURLToPath(new URL('../conformance/fixtures/', import.meta.url));

export default defineConfig({
  publicDir: fixtures,
  resolve: { conditions: browserConditions },
  optimizeDeps: { include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu'] },
  test: {
    name: 'backend-tfjs-browser',
    include: ['test/**/*.browser.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    browser: chromiumBrowser({ webgpu: true }),
  },
});
