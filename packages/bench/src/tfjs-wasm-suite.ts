import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { TfjsLayersModel, useTfjsBackend } from '@gradscope/backend-tfjs';
import { tfjsNodeBackend } from '@gradscope/backend-tfjs/node';
import type { Model } from '@gradscope/core';
import { builtinMethods } from '@gradscope/methods';
import { benchModel } from './bench-model.js';
import { loadLayersFile } from './load-layers-file.js';
import { noiseInput } from './noise-input.js';
import { resnet18, RESNET18_LAST_CONV } from './resnet18.js';
import type { BenchOptions, BenchRow, BenchSuite } from './suite.js';

const SHAPES_MODEL = fileURLToPath(new URL('../../shapes/model/model.json', import.meta.url));

/** Benchmarks `model`, with the plain `predict` of the same network (`tfModel`) as a reference. */
async function benchTfjs(
  model: Model,
  tfModel: tf.LayersModel,
  label: string,
  runtime: string,
  o: BenchOptions,
  layer?: string,
): Promise<BenchRow> {
  const input = noiseInput(model);
  const x = tf.tensor(input.data, [...input.shape]);
  const predict = async () => {
    const y = tfModel.predict(x) as tf.Tensor;
    await y.data();
    y.dispose();
  };
  try {
    return await benchModel(model, input, {
      ...o,
      model: label,
      runtime,
      registry: builtinMethods,
      ...(layer ? { layer } : {}),
      reference: { label: 'plain tfjs predict', run: predict },
    });
  } finally {
    x.dispose();
  }
}

/**
 * tfjs on its wasm backend in this Node process: the built-in shapes model (loaded from
 * packages/shapes/model through the backend, skipped until it is built) and a seeded random-weight
 * ResNet-18 at 224×224 built in code, Grad-CAM at its last residual block.
 */
export const tfjsWasmSuite: BenchSuite = {
  id: 'tfjs-wasm',
  async run(o) {
    await useTfjsBackend('wasm');
    const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) ? 'SIMD' : 'no SIMD';
    const threads = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) ? 'threads' : '1 thread';
    const runtime = `tfjs-wasm, node (${simd}, ${threads})`;
    const rows: BenchRow[] = [];

    if (existsSync(SHAPES_MODEL)) {
      const model = await tfjsNodeBackend.load(SHAPES_MODEL);
      const plain = await loadLayersFile(SHAPES_MODEL);
      try {
        rows.push(await benchTfjs(model, plain, 'shapes (built-in)', runtime, o)); // layer: auto
      } finally {
        await model.dispose();
        plain.dispose();
      }
    } else {
      console.error(`bench: skipping the shapes model: ${SHAPES_MODEL} does not exist (build it first)`);
    }

    const net = resnet18();
    const model = await TfjsLayersModel.create(net); // owns and disposes `net`
    try {
      rows.push(await benchTfjs(model, net, 'resnet18 224² (random)', runtime, o, RESNET18_LAST_CONV));
    } finally {
      await model.dispose();
    }
    return rows;
  },
};
