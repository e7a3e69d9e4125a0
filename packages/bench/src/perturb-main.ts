/**
 * `node packages/bench/dist/perturb-main.js [model.onnx] [--torch torch.json]`: issue 9's timings of the
 * methods that run the model many times, on onnxruntime-node with 2 threads (default model: the
 * dynamic-batch ResNet-50 made by `scripts/perturb-torch.py`, at layer4). Forward, saliency and
 * Ablation-CAM are timed after a warm-up call; the long methods run once (their first chunk warms up); occlusion and RISE are also given per forward-equivalent (ms / evaluated inputs).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createGradscope, type Tensor } from '@gradscope/core';
import { createOnnxBackend, type OrtRuntime } from '@gradscope/backend-onnx/node';
import { builtinMethods } from '@gradscope/methods';
import { median } from './time-median.js';
import { noiseInput } from './noise-input.js';

const DEFAULT = fileURLToPath(new URL('../.models/resnet50-dyn.onnx', import.meta.url));

async function time(fn: () => Promise<unknown>, runs: number, warm = true): Promise<number> {
  if (warm) await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const path = args.find((a) => a.endsWith('.onnx')) ?? DEFAULT;
  const ti = args.indexOf('--torch');
  const torch = ti >= 0 ? (JSON.parse(readFileSync(args[ti + 1]!, 'utf8')) as Record<string, number>) : null;
  const ort = (await import('onnxruntime-node')) as unknown as OrtRuntime;
  const model = await createOnnxBackend({ ort, sessionOptions: { intraOpNumThreads: 2, interOpNumThreads: 1 } }).load(
    path,
  );
  const gs = createGradscope({ methods: builtinMethods });
  const x = noiseInput(model);
  const rows: [string, string][] = [];
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const watch = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const fwd = await time(() => model.forward(x), 5);
    const batch: Tensor = { data: new Float32Array(32 * x.data.length), shape: [32, ...x.shape.slice(1)] };
    for (let i = 0; i < 32; i++) batch.data.set(x.data, i * x.data.length);
    const fwd32 = (await time(() => model.forward(batch), 2)) / 32;
    rows.push(
      ['forward (batch 1)', `${fwd.toFixed(1)} ms`],
      ['forward per image at batch 32', `${fwd32.toFixed(1)} ms`],
    );
    const explain = (method: string, options: Record<string, unknown> = {}, layer?: string) =>
      gs.explain(model, x, { method, options, ...(layer ? { layer } : {}) });
    const abl = await time(() => explain('ablationcam', {}, 'layer4'), 1);
    rows.push([
      'ablationcam @ layer4 (2048 ablations, tail only)',
      `${abl.toFixed(0)} ms = ${(abl / fwd).toFixed(2)}× forward`,
    ]);
    const K = torch?.['masked'] ?? 256;
    peak = process.memoryUsage().rss;
    const sc = await time(() => explain('scorecam', { topK: K }, 'layer4'), 1, false);
    const scPeak = peak - rss0;
    rows.push([
      `scorecam @ layer4, topK ${K} (${K} masked forwards, batch 32)`,
      `${sc.toFixed(0)} ms = ${(sc / K).toFixed(1)} ms per masked input; peak RSS +${(scPeak / 2 ** 20).toFixed(0)} MB`,
    ]);
    if (torch)
      rows.push([
        `torch ${torch['threads']} threads: Score-CAM's ${K} masked forwards (batch 32)`,
        `${torch['maskedMs']!.toFixed(0)} ms; gradscope/torch = ${(sc / torch['maskedMs']!).toFixed(2)}; torch forward ${torch['forwardMs']!.toFixed(1)} ms`,
      ]);
    const occ = { window: 32, stride: 16 };
    const nOcc = 13 * 13;
    const oc = await time(() => explain('occlusion', occ), 1, false);
    rows.push([
      `occlusion window 32 stride 16 (${nOcc} + 1 forwards)`,
      `${oc.toFixed(0)} ms = ${(oc / (nOcc + 1) / fwd).toFixed(2)}× forward per input`,
    ]);
    const nRise = 256;
    const ri = await time(() => explain('rise', { masks: nRise }), 1, false);
    rows.push([
      `rise ${nRise} masks (+1 forward)`,
      `${ri.toFixed(0)} ms = ${(ri / (nRise + 1) / fwd).toFixed(2)}× forward per input`,
    ]);
    const sal = await time(() => explain('saliency'), 2);
    const ig = await time(() => explain('integrated-gradients', { steps: 50 }), 1, false);
    rows.push(
      ['saliency (one input-gradient pass)', `${sal.toFixed(0)} ms`],
      [
        'integrated-gradients, 50 steps (batch 16)',
        `${ig.toFixed(0)} ms = ${(ig / (50 * sal)).toFixed(2)}× 50 saliency passes`,
      ],
    );
  } finally {
    clearInterval(watch);
    await gs.dispose();
    await model.dispose();
  }
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`ort-node, 2 threads, ${path.split('/').pop()}`);
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
}

await main();
