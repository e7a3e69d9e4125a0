import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGradscope, type Gradscope } from '@gradscope/core';
import { builtinMethods } from '@gradscope/methods';
import * as ort from 'onnxruntime-web';
import { createOnnxBackend, type OnnxModel, type OrtRuntime } from '../src/index.js';
import { cosine, maxAbs, npy } from './browser-goldens.js';

/**
 * A backend configured for onnxruntime-web's WebGPU execution provider (Chromium's software adapter,
 * `--enable-unsafe-webgpu`): forward passes run on WebGPU (only 'webgpu' is listed, so creating the
 * forward session fails instead of silently falling back), backward passes on wasm (WebGPU's
 * kernels give wrong gradients in onnxruntime-web 1.30); every method matches the torch goldens.
 */

describe('onnxruntime-web on WebGPU in Chromium', () => {
  let gs: Gradscope;
  let model: OnnxModel;
  beforeAll(async () => {
    expect(navigator.gpu, 'this Chromium exposes no WebGPU').toBeDefined();
    gs = createGradscope({ methods: builtinMethods });
    const backend = createOnnxBackend({
      ort: ort as unknown as OrtRuntime,
      sessionOptions: { executionProviders: ['webgpu'] },
    });
    model = await backend.load(new URL('/resnet18/model.onnx', location.href));
  });
  afterAll(async () => {
    await model?.dispose();
    await gs?.dispose();
  });

  it('forward, Grad-CAM, guided backprop and deconvnet match the torch goldens', async () => {
    const x = await npy('/resnet18/input.npy');
    expect(maxAbs((await model.forward(x)).data, (await npy('/resnet18/logits.npy')).data)).toBeLessThan(1e-4);
    const cam = await gs.explain(model, x, { method: 'gradcam', layer: 'layer4' });
    expect(maxAbs(cam.map.data, (await npy('/resnet18/gradcam.npy')).data)).toBeLessThanOrEqual(1e-4);
    const gb = await gs.explain(model, x, { method: 'guided-backprop' });
    expect(cosine(gb.raw.data, (await npy('/resnet18/guided.npy')).data)).toBeGreaterThan(0.9999);
    const dc = await gs.explain(model, x, { method: 'deconvnet' });
    expect(cosine(dc.raw.data, (await npy('/resnet18/deconvnet.npy')).data)).toBeGreaterThan(0.9999);
    expect(ort.env.webgpu.adapter, 'onnxruntime-web initialised no WebGPU adapter').toBeDefined();
  });
});
