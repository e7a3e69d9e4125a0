import { defineProject } from 'vitest/config';

// Runs the example script as a user would: `node explain.mjs`, against the BUILT packages.
export default defineProject({
  test: {
    name: 'example-node-script',
    root: import.meta.dirname,
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
  },
});
