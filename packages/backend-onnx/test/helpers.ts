import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeNpy, type Tensor } from '@gradscope/core';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import type { OrtRuntime } from '../src/index.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

ortWeb.env.wasm.numThreads = 1;
export const runtimes: Record<'node' | 'web', OrtRuntime> = { node: ortNode as unknown as OrtRuntime, web: ortWeb as unknown as OrtRuntime };

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(`${FIXTURES}${name}/model.onnx`));
}

export function npy(name: string, file: string): Tensor {
  return decodeNpy(new Uint8Array(readFileSync(`${FIXTURES}${name}/${file}`)));
}

export function meta(name: string): { layer: string; opset: number; size: number; class: number; actShape: number[] } {
  return JSON.parse(readFileSync(`${FIXTURES}${name}/meta.json`, 'utf8'));
}

/** max |a − b|, max |b|, and cosine similarity. */
export function compare(a: ArrayLike<number>, b: ArrayLike<number>): { maxAbs: number; ref: number; rel: number; cos: number } {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0, r = 0, dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    m = Math.max(m, Math.abs(a[i]! - b[i]!));
    r = Math.max(r, Math.abs(b[i]!));
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return { maxAbs: m, ref: r, rel: m / (r || 1), cos: na === 0 && nb === 0 ? 1 : dot / Math.sqrt(na * nb) };
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
        return { inputNames: s.inputNames, outputNames: s.outputNames, run: (f) => (counts.runs++, s.run(f)), release: async () => (counts.released++, s.release()) };
      },
    },
  };
  return { ort: wrapped, counts };
}
