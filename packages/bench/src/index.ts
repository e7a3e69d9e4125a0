export { benchModel, type BenchModelOptions } from './bench-model.js';
export { formatTable } from './format-table.js';
export { GOALS } from './goals.js';
export { noiseInput } from './noise-input.js';
export { loadLayersFile } from './load-layers-file.js';
export { resnet18, RESNET18_LAST_CONV } from './resnet18.js';
export { median, timeInterleaved, type Timing, type TimeOptions } from './time-median.js';
export type { BenchRow, BenchSuite, BenchOptions } from './suite.js';
export { SUITES } from './suites.js';
