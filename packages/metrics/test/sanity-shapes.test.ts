import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ortNode from 'onnxruntime-node';
import { createOnnxBackend, type OrtRuntime } from '@gradscope/backend-onnx/node';
import { useTfjsBackend } from '@gradscope/backend-tfjs';
import { tfjsNodeBackend } from '@gradscope/backend-tfjs/node';
import { createGradscope, imageToTensor, LOGITS_LAYER, type Model, type Target, type Tensor } from '@gradscope/core';
import { gradcam, sobelCam } from '@gradscope/methods';
import { createShapesGenerator, DEFAULT_CLASSES, modelUrl } from '@gradscope/shapes';
import { sanityCheck, type SanityCheckResult, type SanityStep } from '../src/index.js';

/** The built-in shapes CNN's weighted layers from the top (the paper's cascade); same names on both backends. */
const CASCADE = [LOGITS_LAYER, 'bn4', 'conv4', 'bn3', 'conv3', 'bn2', 'conv2', 'conv1'];
const MEASURES = ['spearman', 'spearmanAbs', 'ssim', 'hog'] as const;
const gs = createGradscope({ methods: [gradcam, sobelCam] });
const explainWith =
  (method: 'gradcam' | 'sobel-cam') =>
  async (model: Model, input: Tensor, target: Target): Promise<Tensor> =>
    (await gs.explain(model, input, { method, target, ...(method === 'gradcam' ? { layer: 'relu4' } : {}) })).map;

/** A randomised Grad-CAM can be blank (every pixel zero after its ReLU): no correlation left, counted as 0. */
const orZero = (v: number) => (Number.isNaN(v) ? 0 : v);
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Per layer, the mean of each measure over the images (blank maps as 0), for the log. */
function table(results: readonly SanityCheckResult[]): string {
  return CASCADE.map((layer, k) => {
    const cells = MEASURES.map((m) => `${m} ${mean(results.map((r) => orZero(r.steps[k]![m]))).toFixed(3)}`);
    return `  ${layer.padEnd(9)} ${cells.join('  ')}`;
  }).join('\n');
}

const backends: Record<string, () => Promise<Model>> = {
  tfjs: async () => {
    await useTfjsBackend('wasm');
    return tfjsNodeBackend.load(modelUrl);
  },
  onnx: () =>
    createOnnxBackend({ ort: ortNode as unknown as OrtRuntime }).load(fileURLToPath(new URL('model.onnx', modelUrl))),
};

describe.each(Object.keys(backends))('sanity check on the built-in shapes model (%s)', (name) => {
  let model: Model;
  beforeAll(async () => {
    model = await backends[name]!();
  });
  afterAll(async () => {
    await model?.dispose();
  });
  const samples = createShapesGenerator({ size: 64, classes: DEFAULT_CLASSES, seed: 4 }).samples(6, 100);
  const inputOf = (s: (typeof samples)[number]) =>
    imageToTensor({ data: s.image, width: s.width, height: s.height }, model.input, model.input.normalization);
  const run = (method: 'gradcam' | 'sobel-cam', input: Tensor, mode: 'cascading' | 'independent') =>
    sanityCheck({
      model,
      input,
      target: { kind: 'class' },
      explain: explainWith(method),
      layers: CASCADE,
      mode,
      seed: 7,
    });

  it('Grad-CAM decorrelates under cascading randomisation; the Sobel edge map stays identical', async () => {
    const grad: SanityCheckResult[] = [];
    const sobel: SanityCheckResult[] = [];
    for (const s of samples) grad.push(await run('gradcam', inputOf(s), 'cascading'));
    for (const s of samples.slice(0, 2)) sobel.push(await run('sobel-cam', inputOf(s), 'cascading'));
    console.log(
      `${name}, cascading, mean over ${grad.length} images:\nGrad-CAM\n${table(grad)}\nSobel-CAM\n${table(sobel)}`,
    );
    for (const r of sobel)
      for (const step of r.steps) for (const m of MEASURES) expect(step[m], `${step.layer} ${m}`).toBe(1);
    // NaN only where the randomised Grad-CAM is blank
    for (const r of grad)
      for (const step of r.steps as SanityStep[])
        if (Number.isNaN(step.spearman)) expect(step.map.data.every((v) => v === step.map.data[0])).toBe(true);
    const all = (m: (typeof MEASURES)[number]) => mean(grad.flatMap((r) => r.steps.map((s) => orZero(s[m]))));
    // measured (seed 7, 6 images, 8 steps): mean ρ 0.23 on tfjs, 0.18 on onnx; SSIM 0.23 / 0.21; HOG 0.48 / 0.49
    expect(all('spearman')).toBeLessThan(0.35);
    expect(all('ssim')).toBeLessThan(0.45);
    expect(all('hog')).toBeLessThan(0.7);
  });

  it('independent randomisation: the head alone changes Grad-CAM, never the Sobel map', async () => {
    const input = inputOf(samples[1]!);
    const g = await run('gradcam', input, 'independent');
    const s = await run('sobel-cam', input, 'independent');
    expect(g.steps.map((x) => x.randomized)).toEqual(CASCADE.map((l) => [l]));
    expect(g.steps[0]!.spearman).toBeLessThan(0.9);
    for (const step of s.steps) for (const m of MEASURES) expect(step[m]).toBe(1);
  });
});
