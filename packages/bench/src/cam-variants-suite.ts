import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createOnnxBackend, type OrtRuntime } from '@gradscope/backend-onnx/node';
import { TfjsLayersModel, useTfjsBackend } from '@gradscope/backend-tfjs';
import type { Model } from '@gradscope/core';
import { builtinMethods } from '@gradscope/methods';
import { benchCamVariants, type CamVariantRow } from './cam-variants.js';
import { noiseInput } from './noise-input.js';
import { resnet18, RESNET18_LAST_CONV } from './resnet18.js';
import type { TimeOptions } from './time-median.js';

/** The suites the CAM-variant table runs on (issue 8: onnxruntime-node and tfjs-wasm). */
export const CAM_VARIANT_SUITES = ['tfjs-wasm', 'ort-node'] as const;

const RESNET18_ONNX = fileURLToPath(new URL('../.models/resnet18.onnx', import.meta.url));

async function onModel(model: Model, label: string, runtime: string, layer: string, o: TimeOptions) {
  try {
    return await benchCamVariants(model, noiseInput(model), {
      ...o,
      model: label,
      runtime,
      layer,
      registry: builtinMethods,
    });
  } finally {
    await model.dispose();
  }
}

/**
 * Every gradient-based CAM variant against Grad-CAM at ResNet-18's last block: the seeded random
 * ResNet-18 built in code on tfjs-wasm (the tfjs-wasm suite's model, at `layer4.1.relu`), and the
 * full-size torchvision export `.models/resnet18.onnx` on onnxruntime-node (1 thread, at `layer4`;
 * skipped with a line on stderr when the file is missing: see `scripts/make-full-models.py`).
 */
export async function runCamVariants(suites: readonly string[], o: TimeOptions): Promise<CamVariantRow[]> {
  const rows: CamVariantRow[] = [];
  if (suites.includes('tfjs-wasm')) {
    console.error('bench: CAM variants, tfjs-wasm …');
    await useTfjsBackend('wasm');
    const model = await TfjsLayersModel.create(resnet18()); // owns and disposes the network
    rows.push(await onModel(model, 'resnet18 224² (random)', 'tfjs-wasm', RESNET18_LAST_CONV, o));
  }
  if (suites.includes('ort-node')) {
    if (!existsSync(RESNET18_ONNX)) {
      console.error(`bench: CAM variants on ort-node skipped: ${RESNET18_ONNX} does not exist`);
    } else {
      console.error('bench: CAM variants, ort-node …');
      const ort = (await import('onnxruntime-node')) as unknown as OrtRuntime;
      const sessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1 };
      const model = await createOnnxBackend({ ort, sessionOptions }).load(RESNET18_ONNX);
      rows.push(await onModel(model, 'resnet18 224² (random)', 'ort-node (1 thread)', 'layer4', o));
    }
  }
  return rows;
}
