import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { createOnnxBackend, type OrtRuntime } from '@gradscope/backend-onnx/node';
import { useTfjsBackend } from '@gradscope/backend-tfjs';
import { tfjsNodeBackend } from '@gradscope/backend-tfjs/node';
import type { Backend } from '@gradscope/core';
import { builtinMethods } from '@gradscope/methods';
import { shapesDemo } from './demo-set.js';
import { renderAdapter } from './render-adapter.js';
import { packageVersions } from './versions.js';
import type { Wiring } from './wiring.js';

/**
 * The backends the CLI registers, one line each; `--backend <id>` looks the id up in core's registry
 * and an id that is not here is an error listing these.
 */
export const cliBackends = (): Backend[] => [tfjsNodeBackend, createOnnxBackend({ ort: ort as unknown as OrtRuntime })];

/**
 * The real composition: tfjs on its wasm backend (20–30× faster than cpu in Node), ONNX Runtime for
 * Node, every built-in method, `@gradscope/render` pictures and the shapes demo.
 */
export async function defaultWiring(): Promise<Wiring> {
  await useTfjsBackend('wasm');
  return {
    backends: cliBackends(),
    methods: builtinMethods,
    render: renderAdapter,
    demo: shapesDemo,
    versions: () => ({ ...packageVersions(), 'tfjs-backend': tf.getBackend() }),
  };
}
