/**
 * Node entry: everything in the main entry, and `convertModelFile`, which reads `model.json` (+ shards) from disk and writes the `.onnx` file.
 *
 * @module @gradscope/tfjs-to-onnx/node
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ModelLoadError } from '@gradscope/core';
import type { LayersModelArtifacts } from './artifacts.js';
import { convertLayersModel, type ConversionResult, type ConvertOptions } from './convert-layers-model.js';
import { loadModelJson } from './load-model-json.js';

/** Reads `model.json` and its weight shards (paths relative to it) from disk. */
export async function readLayersModel(modelJsonPath: string): Promise<LayersModelArtifacts> {
  const read = async (p: string) => {
    try {
      return new Uint8Array(await readFile(p));
    } catch (e) {
      throw new ModelLoadError(
        p,
        (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message,
        { cause: e },
      );
    }
  };
  const dir = dirname(modelJsonPath);
  const text = new TextDecoder().decode(await read(modelJsonPath));
  return loadModelJson(text, (p) => read(resolve(dir, p)), modelJsonPath);
}

/** Converts `model.json` (+ shards) on disk and writes the `.onnx` file; returns the conversion. */
export async function convertModelFile(
  modelJsonPath: string,
  outPath: string,
  options: ConvertOptions = {},
): Promise<ConversionResult> {
  const r = convertLayersModel(await readLayersModel(modelJsonPath), { source: modelJsonPath, ...options });
  await writeFile(outPath, r.bytes);
  return r;
}

export * from './index.js';
