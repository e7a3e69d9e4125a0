import { defineConfig } from 'vitest/config';

/**
 * The playground's tests: Node processes that build the app with Vite's production build, serve it
 * with `vite preview` and drive Debian's Chromium through playwright-core. They import the BUILT
 * packages (no `gradscope-source` condition), like the app. One file at a time: the machine is small.
 */
export default defineConfig({
  test: {
    name: 'playground',
    root: import.meta.dirname,
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
