import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGradscope, type Gradscope } from '@gradscope/core';
import { builtinMethods } from '@gradscope/methods';
import * as ort from 'onnxruntime-web';
import { createOnnxBackend, type OnnxModel, type OrtRuntime } from '../src/index.js';
import { cosine, get, maxAbs, npy } from './browser-goldens.js';

/** The resnet18-narrow goldens in a real browser: model fetched by URL, and loaded from a File. */
ort.env.wasm.numThreads = 1;

describe('onnxruntime-web in Chromium', () => {
  let gs: Gradscope;
  let model: OnnxModel;
  const backend = createOnnxBackend({ ort: ort as unknown as OrtRuntime });
  beforeAll(async () => {
    gs = createGradscope({ methods: builtinMethods });
    model = await backend.load(new URL('/resnet18/model.onnx', location.href));
  });
  afterAll(async () => {
    await model.dispose();
    await gs.dispose();
  });

  it('Grad-CAM and guided backprop match the torch goldens', async () => {
    const x = await npy('/resnet18/input.npy');
    const cam = await gs.explain(model, x, { method: 'gradcam', layer: 'layer4' });
    expect(maxAbs(cam.map.data, (await npy('/resnet18/gradcam.npy')).data)).toBeLessThanOrEqual(1e-4);
    const gb = await gs.explain(model, x, { method: 'guided-backprop' });
    expect(cosine(gb.raw.data, (await npy('/resnet18/guided.npy')).data)).toBeGreaterThan(0.9999);
  });

  it('loads a browser File', async () => {
    const file = new File([await get('/mobilenet_v2/model.onnx')], 'mobilenet_v2.onnx');
    const m = await backend.load([file]);
    expect(m.name).toBe('mobilenet_v2');
    const y = await m.forward(await npy('/mobilenet_v2/input.npy'));
    expect(maxAbs(y.data, (await npy('/mobilenet_v2/logits.npy')).data)).toBeLessThan(1e-4);
    await m.dispose();
  });
});
