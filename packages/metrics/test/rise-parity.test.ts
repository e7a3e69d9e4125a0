import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { useTfjsBackend } from '@gradscope/backend-tfjs';
import { tfjsNodeBackend } from '@gradscope/backend-tfjs/node';
import { createOnnxBackend } from '@gradscope/backend-onnx/node';
import { fixturePath, openFixture } from '@gradscope/conformance';
import type { Model } from '@gradscope/core';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { deletionAuc, insertionAuc, runMetric } from '../src/index.js';

// Deletion (zeros) and insertion (RISE's blur) curves of the Grad-CAM map of tiny-cnn's x0, softmax of the
// top-1 class, 8 pixels per step, against scripts/make-rise-references.py (torch 1.13, SciPy's gkern).
const refs = JSON.parse(
  readFileSync(fileURLToPath(new URL('./fixtures/rise/references.json', import.meta.url)), 'utf8'),
);
const fixture = openFixture('tiny-cnn');

const backends = {
  onnx: async () => createOnnxBackend({ ort: ort as never }).load(fixturePath('tiny-cnn', 'onnx')),
  tfjs: async () => {
    await useTfjsBackend('wasm');
    return tfjsNodeBackend.load(fixturePath('tiny-cnn', 'tfjs'));
  },
};

describe.each(Object.keys(backends) as (keyof typeof backends)[])(
  "RISE's deletion and insertion on tiny-cnn (%s)",
  (name) => {
    let model: Model | undefined;
    afterAll(() => model?.dispose?.());

    it.each([
      ['deletion', deletionAuc, 'constant'],
      ['insertion', insertionAuc, 'blur'],
    ] as const)('%s: every point of the curve and the AUC', async (mode, metric, baseline) => {
      model ??= await backends[name]();
      const subject = {
        model,
        input: fixture.input('x0', model.input.layout),
        map: fixture.array(refs.map),
        target: { kind: 'softmax' as const },
      };
      const r = await runMetric(metric, subject, { step: refs.step, baseline });
      const want = refs[mode];
      expect(r.curve!.y).toHaveLength(want.y.length);
      const err = Math.max(...r.curve!.y.map((v, i) => Math.abs(v - want.y[i])));
      console.log(`${mode} (${name}): AUC ${r.value} vs ${want.auc}; max |Δy| ${err.toExponential(2)}`);
      expect(err).toBeLessThan(1e-6); // measured ≤ 1.9e-7 (onnx), 1.8e-7 (tfjs)
      expect(Math.abs((r.value as number) - want.auc)).toBeLessThan(1e-7); // measured ≤ 2.2e-8
    });
  },
);
