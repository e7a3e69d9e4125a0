import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { browserConditions, chromiumBrowser } from '../../vitest.browser.shared.js';

/** Browser tests of @gradscope/image (`test/*.browser.test.ts`): loadImage on every browser source in Chromium. */
const repoTmp = fileURLToPath(new URL('../../tmp/', import.meta.url));
mkdirSync(repoTmp, { recursive: true });

export default defineConfig({
  resolve: { conditions: browserConditions },
  test: {
    name: 'image-browser',
    include: ['test/**/*.browser.test.ts'],
    testTimeout: 60_000,
    browser: chromiumBrowser({ env: { ...process.env, TMPDIR: repoTmp } }),
  },
});
