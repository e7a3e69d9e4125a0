import { createRequire } from 'node:module';
import type * as tfjs from '@tensorflow/tfjs';

/**
 * @tensorflow/tfjs through Node's CommonJS loader. Its CommonJS build requires `long` without
 * declaring it and gets the hoisted long@5, whose `import` condition (active under vitest) is an ES
 * module (`Long.fromString is not a function`): seed the require cache with long@5's UMD build.
 * (Same workaround as packages/backend-tfjs/test.)
 */
export function loadTfjs(): typeof tfjs {
  const require = createRequire(import.meta.url);
  const fromTfjs = createRequire(require.resolve('@tensorflow/tfjs'));
  const longPath = fromTfjs.resolve('long');
  if (longPath.endsWith('.js') && !longPath.includes('umd') && !require.cache[longPath]) {
    const umd = longPath.replace(/index\.js$/, 'umd/index.js');
    require.cache[longPath] = {
      id: longPath,
      filename: longPath,
      loaded: true,
      exports: require(umd),
    } as NodeJS.Module;
  }
  return require('@tensorflow/tfjs') as typeof tfjs;
}
