/**
 * The gradscope command.
 *
 * @module @gradscope/cli
 */
export { main, topHelp } from './main.js';
export type { CliIo } from './cli-io.js';
export { processIo } from './cli-io.js';
export type { Wiring, CliRenderer, DemoSet } from './wiring.js';
export { defaultWiring } from './default-wiring.js';
export { describeError } from './describe-error.js';
export { CliError } from './cli-error.js';
export { sidecarPath, readSidecar, parseSidecar, type Sidecar } from './sidecar.js';
export { readInput, sniff, type LoadedInput } from './read-input.js';
export { OUTPUT_MARKER } from './staged-dir.js';
