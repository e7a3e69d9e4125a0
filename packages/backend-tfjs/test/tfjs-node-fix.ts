import { createRequire } from 'node:module';

/**
 * Import this first in every Node test file. @tensorflow/tfjs's CommonJS build requires `long`
 * without declaring it and gets the hoisted long@5, whose `import` condition (active under vitest)
 * is an ES module (`Long.fromString is not a function`): seed Node's require cache with long@5's
 * UMD build. (Same workaround as test/training-kernels.test.ts and packages/conformance.)
 */
const require = createRequire(import.meta.url);
const fromTfjs = createRequire(require.resolve('@tensorflow/tfjs'));
const longPath = fromTfjs.resolve('long');
if (longPath.endsWith('.js') && !longPath.includes('umd') && !require.cache[longPath]) {
  const umd = longPath.replace(/index\.js$/, 'umd/index.js');
  require.cache[longPath] = { id: longPath, filename: longPath, loaded: true, exports: require(umd) } as NodeJS.Module;
}
