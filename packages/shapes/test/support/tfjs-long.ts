/**
 * Test-only workaround, imported before anything loads tfjs. @tensorflow/tfjs's CommonJS build
 * requires `long` without declaring it and gets the workspace's hoisted long@5, whose `import`
 * condition (active under vitest) is an ES module, so tfjs fails at load with
 * `Long.fromString is not a function`. Seeding Node's require cache with long@5's CommonJS build
 * under the resolved path makes that `require` return the right thing. Remove once the workspace
 * gives tfjs its own `long` (e.g. pnpm `packageExtensions`).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const fromTfjs = createRequire(require.resolve('@tensorflow/tfjs'));
const longPath = fromTfjs.resolve('long');
if (!longPath.includes('umd') && !require.cache[longPath]) {
  const umd = longPath.replace(/index\.js$/, 'umd/index.js');
  require.cache[longPath] = { id: longPath, filename: longPath, loaded: true, exports: require(umd) } as NodeJS.Module;
}
