import { defineProject } from 'vitest/config';

// Tested exactly as an outsider would: @gradscope/* resolve to their BUILT packages (dist), through
// the normal export conditions — no workspace source condition. Run `pnpm build` first (the root
// `pnpm test` does).
export default defineProject({
  test: {
    name: 'plugin-normgrad',
    root: import.meta.dirname,
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
