import { defineProject } from 'vitest/config';

// Mirrors the root config's node projects: `gradscope-source` resolves workspace packages to their
// TypeScript sources, so the tests run without a build.
const conditions = ['gradscope-source', 'module', 'node', 'import', 'default'];

export default defineProject({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['gradscope-source'] } },
  test: {
    name: 'plugin-xgradcam',
    root: import.meta.dirname,
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
