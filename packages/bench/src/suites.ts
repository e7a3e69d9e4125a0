import type { BenchSuite } from './suite.js';
import { ORT_SUITES } from './ort-suite.js';
import { tfjsWasmSuite } from './tfjs-wasm-suite.js';

/**
 * Every suite `pnpm bench` runs, in order. A backend adds rows by adding a suite here (see
 * `tfjs-wasm-suite.ts`: set up the runtime, load models, call `benchModel` for each).
 */
export const SUITES: readonly BenchSuite[] = [tfjsWasmSuite, ...ORT_SUITES];
