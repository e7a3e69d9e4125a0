import { fileURLToPath } from 'node:url';
import { createGradscope, type Tensor } from '@gradscope/core';
import { createOnnxBackend, type OrtRuntime } from '@gradscope/backend-onnx/node';
import { builtinMethods } from '@gradscope/methods';
import { median } from './time-median.js';
import { noiseInput } from './noise-input.js';
import type { PerturbTimes } from './perturb-goals.js';

/** torch's reference from `scripts/perturb-torch.py`: ms of `masked` masked forwards in batches of 32. */
export interface TorchMasked {
  readonly maskedMs: number;
  readonly masked: number;
}

/**
 * Times issue 9's goals on `path` (a dynamic-batch ONNX ResNet-50) with onnxruntime-node, 2 threads, in
 * one process: forwards at batch 1 and 32 are sampled before every long method (their medians are the
 * references, so load from other processes hits both alike); Ablation-CAM and saliency are medians of
 * 3 after a warm-up; occlusion, RISE (256 masks), Integrated Gradients (50 steps) and, with a torch
 * reference, Score-CAM (its `masked` channels) run once.
 */
export async function measurePerturb(path: string, torch?: TorchMasked): Promise<PerturbTimes> {
  const ort = (await import('onnxruntime-node')) as unknown as OrtRuntime;
  const backend = createOnnxBackend({ ort, sessionOptions: { intraOpNumThreads: 2, interOpNumThreads: 1 } });
  const model = await backend.load(path);
  const gs = createGradscope({ methods: builtinMethods });
  const x = noiseInput(model);
  const batch: Tensor = { data: new Float32Array(32 * x.data.length), shape: [32, ...x.shape.slice(1)] };
  for (let i = 0; i < 32; i++) batch.data.set(x.data, i * x.data.length);
  const f1: number[] = [],
    f32: number[] = [];
  const timed = async (fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };
  const forwards = async () => {
    f1.push(await timed(() => model.forward(x)));
    f32.push((await timed(() => model.forward(batch))) / 32);
  };
  const explain =
    (method: string, options: Record<string, unknown> = {}, layer?: string) =>
    () =>
      gs.explain(model, x, { method, options, ...(layer ? { layer } : {}) });
  const medianOf = async (fn: () => Promise<unknown>) => {
    await fn();
    const s: number[] = [];
    for (let i = 0; i < 3; i++) {
      await forwards();
      s.push(await timed(fn));
    }
    return median(s);
  };
  try {
    await model.forward(x);
    await model.forward(batch);
    const ablationcamMs = await medianOf(explain('ablationcam', {}, 'layer4'));
    const saliencyMs = await medianOf(explain('saliency'));
    await forwards();
    const occMs = await timed(explain('occlusion', { window: 32, stride: 16 }));
    await forwards();
    const riseMs = await timed(explain('rise', { masks: 256 }));
    await forwards();
    const igMs = await timed(explain('integrated-gradients', { steps: 50 }));
    await forwards();
    let scorecam: PerturbTimes['scorecam'];
    if (torch) {
      const rss0 = process.memoryUsage().rss;
      let peak = rss0;
      const watch = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
      const ms = await timed(explain('scorecam', { topK: torch.masked }, 'layer4')).finally(() => clearInterval(watch));
      scorecam = { ms, masked: torch.masked, peakMb: (peak - rss0) / 2 ** 20, torchMs: torch.maskedMs };
    }
    const windows = (n: number) => Math.floor((n - 32) / 16) + 1;
    return {
      forwardMs: median(f1),
      forward32Ms: median(f32),
      ablationcamMs,
      occlusion: { ms: occMs, inputs: windows(model.input.height) * windows(model.input.width) + 1 },
      rise: { ms: riseMs, inputs: 257 },
      saliencyMs,
      integratedGradients: { ms: igMs, steps: 50 },
      ...(scorecam ? { scorecam } : {}),
    };
  } finally {
    await gs.dispose();
    await model.dispose();
  }
}

/** The model issue 9's goals are timed on: `scripts/perturb-torch.py --out packages/bench/.models`. */
export const PERTURB_MODEL = fileURLToPath(new URL('../.models/resnet50-dyn.onnx', import.meta.url));

/** `perturb-torch.py`'s JSON (`maskedMs`, `masked`, …) as a Score-CAM reference. */
export function readTorchMasked(json: string): TorchMasked {
  const t = JSON.parse(json) as Partial<TorchMasked>;
  if (typeof t.maskedMs !== 'number' || typeof t.masked !== 'number')
    throw new Error('torch reference: expected {"maskedMs": number, "masked": number, …}');
  return { maskedMs: t.maskedMs, masked: t.masked };
}
