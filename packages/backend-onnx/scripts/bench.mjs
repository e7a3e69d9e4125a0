// Timings: forward vs Grad-CAM (auto layer) vs full input gradient, on onnxruntime-node and -web.
// usage (after `npx tsc -b`): node scripts/bench.mjs <model.onnx> [reps=5]
// One thread each (ort-web: wasm numThreads = 1; ort-node: intraOpNumThreads = 1).
import { autoLayer } from '@gradscope/core';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { createOnnxBackend } from '../dist/node.js';

const [file, repsArg] = process.argv.slice(2);
const reps = Number(repsArg ?? 5);
ortWeb.env.wasm.numThreads = 1;
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
async function time(f) {
  // warm-up: session creation, and for ort-web the wasm engine's tier-up of the kernels used
  for (let i = 0; i < 6; i++) await f();
  const t = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await f();
    t.push(performance.now() - t0);
  }
  return +median(t).toFixed(1);
}
for (const [rt, ort, sessionOptions] of [
  ['node', ortNode, { intraOpNumThreads: 1 }],
  ['web', ortWeb, {}],
]) {
  const t0 = performance.now();
  const model = await createOnnxBackend({ ort, sessionOptions }).load(file);
  const loadMs = +(performance.now() - t0).toFixed(0);
  const { shape } = model.input;
  const n = shape.slice(1).reduce((a, b) => a * b, 1);
  const x = { data: Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37)), shape: [1, ...shape.slice(1)] };
  const layer = autoLayer(model.layers).name;
  const targets = [{ kind: 'class', index: 1 }];
  const forward = await time(() => model.forward(x));
  const gradcam = await time(() =>
    model.capture(x, { layers: [layer], gradients: true, inputGradient: false, targets }),
  );
  const inputGradient = await time(() =>
    model.capture(x, { layers: [], gradients: false, inputGradient: true, targets }),
  );
  const topClass = await time(() =>
    model.capture(x, { layers: [layer], gradients: true, inputGradient: false, targets: [{ kind: 'class' }] }),
  );
  console.log(
    JSON.stringify({
      runtime: rt,
      file: file.split('/').pop(),
      layer,
      loadMs,
      forward,
      gradcam,
      gradcamTopClass: topClass,
      inputGradient,
      ratioGradcam: +(gradcam / forward).toFixed(2),
      ratioInput: +(inputGradient / forward).toFixed(2),
    }),
  );
  await model.dispose();
}
process.exit(0);
