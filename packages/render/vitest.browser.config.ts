import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

/**
 * Browser tests of @gradscope/render (`test/*.browser.test.ts`): ImageData and canvas in Debian's
 * Chromium through Playwright (flags from TOOLCHAIN.md).
 */
const chromium = process.env.GRADSCOPE_CHROMIUM ?? '/usr/bin/chromium';
const repoTmp = fileURLToPath(new URL('../../tmp/', import.meta.url));
mkdirSync(repoTmp, { recursive: true });

export default defineConfig({
  resolve: { conditions: ['gradscope-source', 'module', 'browser', 'import', 'default'] },
  test: {
    name: 'render-browser',
    include: ['test/**/*.browser.test.ts'],
    testTimeout: 60_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          executablePath: chromium,
          env: { ...process.env, TMPDIR: repoTmp },
          args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
