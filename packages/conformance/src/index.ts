/**
 * The conformance suite every gradscope backend and method plugin runs.
 *
 * @module @gradscope/conformance
 */
export { describeBackend } from './describe-backend.js';
export { describeMethods } from './describe-methods.js';
export { describeSegmentation, SEGMENTATION_FIXTURE } from './describe-segmentation.js';
export type { BackendSetup, SetupInput, SuiteOptions } from './setup.js';
export { fixturePath, fixtureDir, type FixtureFormat } from './fixture-path.js';
export { openFixture, FIXTURE_NAMES, type Fixture } from './open-fixture.js';
export { backendLayerNames, detectFormat, layerName, layerNamesOf } from './layer-names.js';
export { PER_MODEL_CAPABILITIES, perModelOf } from './per-model-capabilities.js';
export { closeness, closenessUpToSign, withinTolerance, formatCloseness, mismatch, type Closeness } from './compare.js';
export type {
  FixtureManifest,
  FixtureLayer,
  FixtureInput,
  FixtureCapture,
  FixtureMethodCase,
  Tolerance,
} from './manifest.js';
export { probeMethod } from './probe-method.js';
