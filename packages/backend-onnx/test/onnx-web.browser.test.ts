import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { container, decodeNpy, explain, type DependencyContainer, type Tensor } from '@gradscope/core';
import { registerBuiltinMethods } from '@gradscope/methods';
import * as ort from 'onnxruntime-web';
import { createOnnxBackend, type OnnxModel, type OrtRuntime } from '../src/index.js';

/** The resnet18-narrow goldens in a real browser: model fetched by URL, and loaded from a File. */
ort.env.wasm.numThreads = 1;
const get = async (path: string) => new Uint8Array(await (await fetch(path)).arrayBuffer());
const npy = async (path: string): Promise<Tensor> => decodeNpy(await get(path));
const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};
const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let d = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) (d += a[i]! * b[i]!), (na += a[i]! ** 2), (nb += b[i]! ** 2);
  return d / Math.sqrt(na * nb);
};

describe('onnxruntime-web in Chromium', () => {
  let c: DependencyContainer;
  let model: OnnxModel;
  const backend = createOnnxBackend({ ort: ort as unknown as OrtRuntime });
  beforeAll(async () => {
    c = container.createChildContainer();
    registerBuiltinMethods(c);
    model = await backend.load(new URL('/resnet18/model.onnx', location.href));
  });
  afterAll(async () => {
    await model.dispose();
    c.dispose();
  });

  it('Grad-CAM and guided backprop match the torch goldens', async () => {
    const x = await npy('/resnet18/input.npy');
    const cam = await explain(c, model, x, { method: 'gradcam', layer: 'layer4' });
    expect(maxAbs(cam.map.data, (await npy('/resnet18/gradcam.npy')).data)).toBeLessThanOrEqual(1e-4);
    const gb = await explain(c, model, x, { method: 'guided-backprop' });
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
