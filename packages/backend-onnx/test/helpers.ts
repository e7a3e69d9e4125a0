import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeNpy, type Tensor } from '@gradscope/core';
import { closeness } from '@gradscope/conformance';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import type { OrtRuntime } from '../src/index.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

ortWeb.env.wasm.numThreads = 1;
export const runtimes: Record<'node' | 'web', OrtRuntime> = {
  node: ortNode as unknown as OrtRuntime,
  web: ortWeb as unknown as OrtRuntime,
};

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(`${FIXTURES}${name}/model.onnx`));
}

export function npy(name: string, file: string): Tensor {
  return decodeNpy(new Uint8Array(readFileSync(`${FIXTURES}${name}/${file}`)));
}

export function meta(name: string): { layer: string; opset: number; size: number; class: number; actShape: number[] } {
  return JSON.parse(readFileSync(`${FIXTURES}${name}/meta.json`, 'utf8'));
}

/** max |a − b|, relative error and cosine similarity (the conformance suite's measures). */
export function compare(a: ArrayLike<number>, b: ArrayLike<number>): { maxAbs: number; rel: number; cos: number } {
  const c = closeness(a, b);
  return { maxAbs: c.maxAbs, rel: c.relative, cos: c.cosine };
}

/** Counts sessions created and released through a wrapped runtime. */
export function countingRuntime(ort: OrtRuntime) {
  const counts = { created: 0, released: 0, runs: 0 };
  const wrapped: OrtRuntime = {
    Tensor: ort.Tensor,
    InferenceSession: {
      async create(bytes, opts) {
        const s = await ort.InferenceSession.create(bytes, opts);
        counts.created++;
        return {
          inputNames: s.inputNames,
          outputNames: s.outputNames,
          run: (f) => (counts.runs++, s.run(f)),
          release: async () => (counts.released++, s.release()),
        };
      },
    },
  };
  return { ort: wrapped, counts };
}
