import type { OrtRuntime } from '@gradscope/backend-onnx/node';
import type { Backend, Capability } from '@gradscope/core';
import { builtinMethods } from '@gradscope/methods';
import { builtinMetrics } from '@gradscope/metrics';
import { shapesDemo } from './demo-set.js';
import { lazyBackend } from './lazy-backend.js';
import { renderAdapter } from './render-adapter.js';
import { packageVersions } from './versions.js';
import type { Wiring } from './wiring.js';

const COMMON: readonly Capability[] = [
  'activations',
  'layer-gradients',
  'input-gradients',
  'relu-guided',
  'relu-deconvnet',
  'relu-only-rectifiers',
  'run-from-layer',
  'batched-forward',
  'linear-head',
  'randomize-weights',
  'hessian-vector',
  'bias-gradients',
];
/** What the real backends declare (checked against them by a test). */
export const CLI_BACKEND_CAPABILITIES: Readonly<Record<'tfjs' | 'onnx', readonly Capability[]>> = {
  tfjs: [...COMMON, 'training'],
  onnx: COMMON,
};

/** tfjs on its wasm backend (20–30× faster than cpu in Node), set up on first use. */
let tfjsBackend: string | null = null;
async function loadTfjs(): Promise<Backend> {
  const [tf, { useTfjsBackend }, { tfjsNodeBackend }] = await Promise.all([
    import('@tensorflow/tfjs'),
    import('@gradscope/backend-tfjs'),
    import('@gradscope/backend-tfjs/node'),
  ]);
  await useTfjsBackend('wasm');
  tfjsBackend = tf.getBackend();
  return tfjsNodeBackend;
}

async function loadOnnx(threads?: number): Promise<Backend> {
  const [ort, { createOnnxBackend }] = await Promise.all([
    import('onnxruntime-node'),
    import('@gradscope/backend-onnx/node'),
  ]);
  return createOnnxBackend({
    ort: ort as unknown as OrtRuntime,
    ...(threads !== undefined && { sessionOptions: { intraOpNumThreads: threads } }),
  });
}

/** What the composition may be told: ONNX Runtime's threads per session (default: its own choice). */
export interface WiringOptions {
  /** `evaluate --workers n` runs one model per worker thread, each on one ONNX Runtime thread. */
  readonly onnxThreads?: number;
}

/**
 * The backends the CLI registers, one line each; `--backend <id>` looks the id up in core's registry
 * and an id that is not here is an error listing these. Each imports its runtime on first use.
 */
export const cliBackends = (options: WiringOptions = {}): Backend[] => [
  lazyBackend('tfjs', CLI_BACKEND_CAPABILITIES.tfjs, loadTfjs),
  lazyBackend('onnx', CLI_BACKEND_CAPABILITIES.onnx, () => loadOnnx(options.onnxThreads)),
];

/**
 * The real composition: tfjs (wasm) and ONNX Runtime for Node, each imported when a model needs it,
 * every built-in method and metric, `@gradscope/render` pictures and the shapes demo.
 */
export async function defaultWiring(options: WiringOptions = {}): Promise<Wiring> {
  return {
    backends: cliBackends(options),
    singleThreadBackends: () => cliBackends({ ...options, onnxThreads: 1 }),
    methods: builtinMethods,
    metrics: builtinMetrics,
    render: renderAdapter,
    demo: shapesDemo,
    versions: () => ({ ...packageVersions(), 'tfjs-backend': tfjsBackend ?? 'not loaded' }),
  };
}
