import { defineConfig } from 'vitest/config';

// One config, one project per package. `gradscope-source` resolves workspace packages to their
// TypeScript sources, so tests run without a build. Browser tests (`*.browser.test.ts`) run in
// Debian's Chromium through Playwright; see packages/*/vitest.browser.config.ts.
const node = (name: string, extra: Record<string, unknown> = {}) => ({
  extends: false as const,
  resolve: { conditions: ['gradscope-source', 'module', 'node', 'development|production'] },
  ssr: { resolve: { conditions: ['gradscope-source', 'module', 'node', 'development|production'] } },
  test: {
    name,
    root: `packages/${name}`,
    include: ['test/**/*.test.ts'],
    exclude: ['test/**/*.browser.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    ...extra,
  },
});

export default defineConfig({
  test: {
    projects: [
      node('core'),
      node('render'),
      node('methods'),
      node('conformance'),
      node('shapes'),
      node('backend-tfjs'),
      node('backend-onnx'),
      node('onnx-proto'),
      node('cli'),
      node('bench'),
      node('tfjs-to-onnx'),
      node('gain'),
      node('metrics'),
      node('image'),
      node('queue'),
      {
        extends: false as const,
        test: { name: 'repo', root: '.', include: ['test/**/*.test.ts'], environment: 'node' },
      },
      'examples/*/vitest.config.ts',
      'apps/playground/vitest.config.ts',
      'packages/*/vitest.browser.config.ts',
    ],
  },
});
