import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createOnnxBackend, type OrtRuntime } from '@gradscope/backend-onnx/node';
import { TfjsLayersModel, useTfjsBackend } from '@gradscope/backend-tfjs';
import type { Model } from '@gradscope/core';
import { builtinMethods } from '@gradscope/methods';
import { benchBatching, type BatchingRow } from './batching.js';
import { resnet18, RESNET18_LAST_CONV } from './resnet18.js';
import type { TimeOptions } from './time-median.js';

const RESNET18_ONNX = fileURLToPath(new URL('../.models/resnet18.onnx', import.meta.url));

async function onModel(model: Model, runtime: string, layer: string, o: TimeOptions): Promise<BatchingRow> {
  try {
    return await benchBatching(model, { ...o, model: 'resnet18 224²', runtime, layer, registry: builtinMethods });
  } finally {
    await model.dispose();
  }
}

/**
 * Grad-CAM one image at a time vs batched, at ResNet-18's last block on the models the CAM-variant
 * table uses: the seeded ResNet-18 built in code on tfjs-wasm (`layer4.1.relu`) and the full-size
 * export `.models/resnet18.onnx` on onnxruntime-node (1 thread, `layer4`; skipped with a line on
 * stderr when the file is missing: see `scripts/make-full-models.py`).
 */
export async function runBatching(suites: readonly string[], o: TimeOptions): Promise<BatchingRow[]> {
  const rows: BatchingRow[] = [];
  if (suites.includes('tfjs-wasm')) {
    console.error('bench: batching, tfjs-wasm …');
    await useTfjsBackend('wasm');
    rows.push(await onModel(await TfjsLayersModel.create(resnet18()), 'tfjs-wasm', RESNET18_LAST_CONV, o));
  }
  if (suites.includes('ort-node')) {
    if (!existsSync(RESNET18_ONNX)) {
      console.error(`bench: batching on ort-node skipped: ${RESNET18_ONNX} does not exist`);
    } else {
      console.error('bench: batching, ort-node …');
      const ort = (await import('onnxruntime-node')) as unknown as OrtRuntime;
      const sessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1 };
      const model = await createOnnxBackend({ ort, sessionOptions }).load(RESNET18_ONNX);
      rows.push(await onModel(model, 'ort-node (1 thread)', 'layer4', o));
    }
  }
  return rows;
}
