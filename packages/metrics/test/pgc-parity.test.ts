import { createOnnxBackend } from '@gradscope/backend-onnx/node';
import { useTfjsBackend } from '@gradscope/backend-tfjs';
import { tfjsNodeBackend } from '@gradscope/backend-tfjs/node';
import { fixturePath, openFixture } from '@gradscope/conformance';
import type { Model } from '@gradscope/core';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import {
  builtinMetrics,
  camMultImageConfidenceChange,
  dropInConfidence,
  increaseInConfidence,
  metricContext,
  noisyLinearImpute,
  pixelImage,
  roadCombined,
  roadLeastRelevantFirst,
  roadMostRelevantFirst,
  runMetric,
} from '../src/index.js';
import { roadKeep } from '../src/road/road-scores.js';
import { pgcCases } from './pgc-references.js';

// Every pytorch-grad-cam metric on the conformance fixtures, on both backends, against the numbers
// pytorch-grad-cam's own code computed (scripts/make-references.py, noise 0) for the same map.
// Tolerance: each value is a difference of two target scores, each within the fixtures' logits
// tolerance (1e-4, the backends' float32 forward vs torch's) of torch's: 2e-4. The binary masks
// (pixels imputed per percentile) must be equal, and the imputed images equal to scipy's solution
// to float32 rounding.
const cases = pgcCases();
const TOL = 2e-4;
const onnx = createOnnxBackend({ ort: ort as never });
const backends: Record<string, (name: string) => Promise<Model>> = {
  onnx: (name) => onnx.load(fixturePath(name, 'onnx')),
  tfjs: async (name) => {
    await useTfjsBackend('wasm');
    return tfjsNodeBackend.load(fixturePath(name, 'tfjs'));
  },
};
const worst: Record<string, Record<string, number>> = {};
const note = (backend: string, metric: string, d: number) => {
  const row = (worst[metric] ??= {});
  row[backend] = Math.max(row[backend] ?? 0, d);
};
afterAll(() => console.log('max |gradscope − pytorch-grad-cam| per metric and backend', worst));

describe('the ROAD imputer against pytorch-grad-cam (scipy spsolve)', () => {
  const c = cases.find((k) => k.imputed)!;
  it.each(['most-relevant-first', 'least-relevant-first'] as const)('%s: same images to float32 rounding', (order) => {
    const x = openFixture(c.fixture).input(c.input, 'NCHW');
    for (const p of c.percentiles) {
      const keep = roadKeep(c.map, order, p);
      const got = noisyLinearImpute(pixelImage(x.data, x.shape, 'NCHW'), keep, { noise: 0 });
      const want = c.imputed![order === 'most-relevant-first' ? 'morf' : 'lerf'][String(p)]!;
      let d = 0;
      for (let i = 0; i < got.length; i++) d = Math.max(d, Math.abs(got[i]! - want[i]!));
      note('(imputer)', `imputed image ${order}`, d);
      expect(d, `p=${p}`).toBeLessThanOrEqual(1e-6);
    }
  });
});

describe.each(Object.keys(backends))('pytorch-grad-cam metrics on %s', (backend) => {
  it.each(cases.map((c, i) => [`${c.fixture} ${c.input} ${c.target} (${c.layer})`, i] as const))(
    '%s',
    async (_, i) => {
      const c = cases[i]!;
      const model = await backends[backend]!(c.fixture);
      try {
        const subject = {
          model,
          input: openFixture(c.fixture).input(c.input, model.input.layout),
          map: { data: c.map, shape: [32, 32] },
          target: { kind: c.target },
        };
        const ctx = await metricContext(subject);
        expect(ctx.resolved.classIndex).toBe(c.classIndex);
        expect(Math.abs(ctx.resolved.score - c.score)).toBeLessThanOrEqual(TOL / 2);
        const road = { percentiles: c.percentiles, noise: 0 };
        const scalar = async (m: typeof camMultImageConfidenceChange, want: number, o = {}) => {
          const v = (await runMetric(m, subject, o)).value as number;
          note(backend, m.id, Math.abs(v - want));
          expect(v, m.id).toBeCloseTo(want, 3);
          expect(Math.abs(v - want), m.id).toBeLessThanOrEqual(TOL);
        };
        await scalar(camMultImageConfidenceChange, c.camMultImageConfidenceChange);
        await scalar(dropInConfidence, c.dropInConfidence);
        expect(Math.abs(c.camMultImageConfidenceChange)).toBeGreaterThan(TOL); // so the 0/1 below is decided
        expect((await runMetric(increaseInConfidence, subject)).value).toBe(c.increaseInConfidence);
        for (const [m, want, key] of [
          [roadMostRelevantFirst, c.roadMostRelevantFirst, 'morf'],
          [roadLeastRelevantFirst, c.roadLeastRelevantFirst, 'lerf'],
        ] as const) {
          const r = await runMetric(m, subject, road);
          const v = r.value as Record<string, number>;
          expect(Object.keys(v)).toEqual(c.percentiles.map(String));
          expect(r.details).toEqual(c.imputedPixels[key]);
          for (const p of Object.keys(want)) {
            note(backend, m.id, Math.abs(v[p]! - want[p]!));
            expect(Math.abs(v[p]! - want[p]!), `${m.id} ${p}`).toBeLessThanOrEqual(TOL);
          }
        }
        await scalar(roadCombined, c.roadCombined, road);
      } finally {
        await model.dispose?.();
      }
    },
    60_000,
  );
});

describe('builtinMetrics', () => {
  it('lists the pytorch-grad-cam metrics under their contract ids', () => {
    const ids = builtinMetrics.map((m) => m.id);
    for (const id of [
      'cam-mult-image-confidence-change',
      'drop-in-confidence',
      'increase-in-confidence',
      'road-most-relevant-first',
      'road-least-relevant-first',
      'road-combined',
    ])
      expect(ids).toContain(id);
  });
});
