import { fileURLToPath } from 'node:url';

/** Model formats a fixture ships in: a tfjs LayersModel (`model.json`) or an ONNX file. */
export type FixtureFormat = 'tfjs' | 'onnx';

const FILES: Record<FixtureFormat, string> = { tfjs: 'tfjs/model.json', onnx: 'model.onnx' };

/**
 * Absolute directory of a committed fixture, e.g. `fixtureDir('tiny-cnn')` →
 * `…/@gradscope/conformance/fixtures/tiny-cnn` (the same from `src/` and `dist/`).
 */
export function fixtureDir(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}/`, import.meta.url));
}

/**
 * Absolute path of a fixture's model in one format: `fixturePath('tiny-cnn', 'tfjs')` is its
 * `tfjs/model.json`, `fixturePath('tiny-cnn', 'onnx')` its `model.onnx`.
 */
export function fixturePath(name: string, format: FixtureFormat): string {
  return fileURLToPath(new URL(`../fixtures/${name}/${FILES[format]}`, import.meta.url));
}
