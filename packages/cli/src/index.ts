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
export type { EvaluationSpec, EvaluationJob, EvaluationRecord } from './evaluate/evaluation-spec.js';
export { imageSeed } from './evaluate/evaluation-spec.js';
export { evaluateJob } from './evaluate/evaluate-job.js';
export { loadEvaluator, type LoadedEvaluator } from './evaluate/load-evaluator.js';
export { readResults, recordKey } from './evaluate/results-file.js';
export { listInputs, type EvaluationInput } from './evaluate/evaluate-inputs.js';
export { summarizeRecords, reportPlots, writeReport } from './evaluate/write-report.js';
export type { Summary } from './evaluate/report-stats.js';
