import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

/**
 * Browser tests of the tfjs backend (`test/*.browser.test.ts`): vitest browser mode driving Debian's
 * Chromium (`.ci/install-browser`; override with GRADSCOPE_CHROMIUM) through Playwright. Without a
 * GPU, WebGL and WebGPU run on SwiftShader. Workspace packages resolve to their TypeScript sources
 * (`gradscope-source`), like the Node projects of the root vitest.config.ts.
 */
const chromium = process.env.GRADSCOPE_CHROMIUM ?? '/usr/bin/chromium';
/** Served at `/` to the tests: the conformance fixtures (`/tiny-cnn/manifest.json`, …). */
const fixtures = fileURLToPath(new URL('../conformance/fixtures/', import.meta.url));

export default defineConfig({
  publicDir: fixtures,
  resolve: { conditions: ['gradscope-source', 'module', 'browser', 'import', 'default'] },
  optimizeDeps: {
    include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu'],
  },
  test: {
    name: 'backend-tfjs-browser',
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
          // Flags measured to work as root (TOOLCHAIN.md). Playwright gives every launch a fresh
          // profile (`--user-data-dir`) in the OS temp directory. WebGPU gets a software adapter.
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--enable-unsafe-swiftshader',
            '--enable-unsafe-webgpu',
          ],
        },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
