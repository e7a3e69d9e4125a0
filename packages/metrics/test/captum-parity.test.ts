import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { useTfjsBackend } from '@gradscope/backend-tfjs';
import { tfjsNodeBackend } from '@gradscope/backend-tfjs/node';
import { createOnnxBackend } from '@gradscope/backend-onnx/node';
import { fixturePath, layerNamesOf, openFixture } from '@gradscope/conformance';
import { createGradscope, decodeNpy, fromChannelsFirst, type Model, type Tensor } from '@gradscope/core';
import { builtinMethods } from '@gradscope/methods';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { infidelityMetric, runMetric, sensitivityMaxMetric, type PerturbationSource } from '../src/index.js';

// Captum's infidelity and sensitivity_max against gradscope's on the conformance fixture tiny-cnn
// (input x0, its top-1 class), with the perturbations Captum used injected: the references and the draws
// come from scripts/make-captum-references.py (Captum faac087, torch 1.13).
const DIR = fileURLToPath(new URL('./fixtures/captum/', import.meta.url));
const refs = JSON.parse(readFileSync(`${DIR}references.json`, 'utf8'));
const fixture = openFixture('tiny-cnn');
const gs = createGradscope({ methods: builtinMethods });
afterAll(() => gs.dispose());

/** Sample i of a saved `[S, C, H, W]` draw, in `layout`. */
function saved(file: string, layout: 'NCHW' | 'NHWC'): PerturbationSource {
  const all = decodeNpy(new Uint8Array(readFileSync(`${DIR}${file}`)));
  const [, c, h, w] = all.shape as [number, number, number, number];
  return (i) =>
    fromChannelsFirst({ data: all.data.subarray(i * c * h * w, (i + 1) * c * h * w), shape: [1, c, h, w] }, layout)
      .data as Float32Array;
}

const relErr = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

const backends = {
  onnx: async () => createOnnxBackend({ ort: ort as never }).load(fixturePath('tiny-cnn', 'onnx')),
  tfjs: async () => {
    await useTfjsBackend('wasm');
    return tfjsNodeBackend.load(fixturePath('tiny-cnn', 'tfjs'));
  },
};

describe.each(Object.keys(backends) as (keyof typeof backends)[])("Captum's metrics on tiny-cnn (%s)", (name) => {
  let model: Model;
  let subject: { model: Model; input: Tensor; map: Tensor; target: { kind: 'class'; index: number } };
  const load = async () => {
    model ??= await backends[name]();
    const layout = model.input.layout;
    const map = fixture.array('golden/x0/top1/gradcam-relu3.npy');
    subject = { model, input: fixture.input('x0', layout), map, target: { kind: 'class', index: refs.class } };
    return layout;
  };
  afterAll(() => model?.dispose?.());

  it('infidelity: the map on every channel and an input-space attribution, raw and normalised', async () => {
    const layout = await load();
    const metric = infidelityMetric(saved('infidelity-perturbations.npy', layout));
    const dx = fromChannelsFirst(fixture.array('golden/x0/top1/dx-standard.npy'), layout);
    const got = {
      map: {
        normalize: (await runMetric(metric, subject, { samples: refs.samples, maxExamplesPerBatch: 3 })).value,
        raw: (await runMetric(metric, subject, { samples: refs.samples, normalize: false })).value,
      },
      dx: {
        normalize: (await runMetric(metric, { ...subject, attribution: dx }, { samples: refs.samples })).value,
        raw: (await runMetric(metric, { ...subject, attribution: dx }, { samples: refs.samples, normalize: false }))
          .value,
      },
    };
    console.log(`infidelity (${name}): gradscope ${JSON.stringify(got)} Captum ${JSON.stringify(refs.infidelity)}`);
    // measured (relative): map raw 4e-6 on both; map normalised 3e-4; dx 5e-5–1e-3. The normalised values and
    // dx's (a near-exact first-order attribution) are residuals: b_i = f(x) − f(x − I_i) ≈ β·a_i to ~1e-3, so
    // the ~1e-6 by which float32 logits differ between torch, onnxruntime and tfjs shows up ~1000× larger
    expect(relErr(got.map.raw as number, refs.infidelity.map.raw)).toBeLessThan(1e-4);
    for (const [a, k] of [
      ['map', 'normalize'],
      ['dx', 'normalize'],
      ['dx', 'raw'],
    ] as const)
      expect(relErr(got[a][k] as number, refs.infidelity[a][k])).toBeLessThan(5e-3);
  });

  it("sensitivity-max: Grad-CAM at relu3 re-explained on Captum's perturbed inputs", async () => {
    const layout = await load();
    const layer = layerNamesOf(fixture.manifest, 'relu3').find((n) => model.layers.some((l) => l.name === n))!;
    const explain = async (x: Tensor) =>
      (await gs.explain(model, x, { method: 'gradcam', layer, target: subject.target })).map;
    const metric = sensitivityMaxMetric(saved('sensitivity-perturbations.npy', layout));
    const r = await runMetric(metric, { ...subject, explain }, { samples: refs.samples });
    console.log(`sensitivity-max (${name}): gradscope ${r.value} Captum ${refs.sensitivityMax}`);
    expect(relErr(r.value as number, refs.sensitivityMax)).toBeLessThan(1e-4); // measured: 1.4e-5 onnx, 1.4e-6 tfjs
  });
});
