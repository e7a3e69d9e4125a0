import { createRequire } from 'node:module';

/**
 * Import first in test files that load tfjs. Under vitest, tfjs's CommonJS build gets the hoisted
 * `long@5` through its `import` condition (an ES module: `Long.fromString is not a function`); seed
 * Node's require cache with long's UMD build. Plain Node (the real `gradscope` binary) is unaffected.
 * (The same workaround as packages/backend-tfjs/test/tfjs-node-fix.ts.)
 */
const require = createRequire(import.meta.url);
const fromTfjs = createRequire(require.resolve('@tensorflow/tfjs'));
const longPath = fromTfjs.resolve('long');
if (longPath.endsWith('.js') && !longPath.includes('umd') && !require.cache[longPath]) {
  const umd = longPath.replace(/index\.js$/, 'umd/index.js');
  require.cache[longPath] = { id: longPath, filename: longPath, loaded: true, exports: require(umd) } as NodeJS.Module;
}
