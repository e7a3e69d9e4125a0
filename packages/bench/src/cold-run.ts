/**
 * One cold run in a fresh process (`node dist/cold-run.js <model.onnx> <methods> <many|each>`):
 * where the first explanations of one image spend their time and memory. Prints one JSON line:
 * each phase's wall ms (from process start: node's own boot is `boot`), the ms of onnxruntime
 * session creation and runs inside it (the rest is JS: protobuf parse/encode, graph generation,
 * maths), RSS after it, the peak RSS, and the session runs.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const [modelPath, methodList = 'gradcam', mode = 'many'] = process.argv.slice(2);
if (!modelPath || (mode !== 'many' && mode !== 'each')) {
  console.error('usage: node dist/cold-run.js <model.onnx> <method,…> <many|each>');
  process.exit(2);
}

interface Phase {
  readonly phase: string;
  readonly ms: number;
  readonly sessionCreateMs: number;
  readonly sessionRunMs: number;
  readonly rssMb: number;
}

const phases: Phase[] = [];
const ortMs = { create: 0, run: 0, runs: 0 };
let last = 0;
const mark = (phase: string) => {
  const now = performance.now();
  phases.push({
    phase,
    ms: now - last,
    sessionCreateMs: ortMs.create,
    sessionRunMs: ortMs.run,
    rssMb: process.memoryUsage().rss / 2 ** 20,
  });
  ortMs.create = ortMs.run = 0;
  last = now;
};
mark('boot'); // node itself: process start → first line of this script

const [ortNode, { createOnnxBackend }, core, { builtinMethods }] = await Promise.all([
  import('onnxruntime-node'),
  import('@gradscope/backend-onnx/node'),
  import('@gradscope/core'),
  import('@gradscope/methods'),
]);
type Ort = Parameters<typeof createOnnxBackend>[0]['ort'];
const ort0 = ortNode as unknown as Ort;
const timed = async <T>(k: 'create' | 'run', f: () => Promise<T>): Promise<T> => {
  const t = performance.now();
  try {
    return await f();
  } finally {
    ortMs[k] += performance.now() - t;
  }
};
const ort: Ort = {
  ...ort0,
  Tensor: ort0.Tensor,
  InferenceSession: {
    async create(bytes, opts) {
      const s = await timed('create', () => ort0.InferenceSession.create(bytes, opts));
      return {
        inputNames: s.inputNames,
        outputNames: s.outputNames,
        run: (f) => (ortMs.runs++, timed('run', () => s.run(f))),
        release: () => s.release(),
      };
    },
  },
};
mark('import');

const bytes = new Uint8Array(readFileSync(modelPath));
// GRADSCOPE_ORT_OPTIONS: extra session options as JSON, e.g. '{"enableCpuMemArena":false}'
const sessionOptions = JSON.parse(process.env['GRADSCOPE_ORT_OPTIONS'] ?? '{}') as Record<string, unknown>;
const model = await createOnnxBackend({ ort, sessionOptions }).load(bytes);
mark('load');
const { noiseInput } = await import('./noise-input.js');
const x = noiseInput(model);
await model.forward(x);
mark('forward');
const gs = core.createGradscope({ methods: builtinMethods });
const requests = methodList.split(',').map((method) => ({ method }));
if (mode === 'many') await gs.explainMany(model, x, requests);
else for (const r of requests) await gs.explain(model, x, r);
mark('explain');
const runsBefore = ortMs.runs;
if (mode === 'many') await gs.explainMany(model, x, requests);
else for (const r of requests) await gs.explain(model, x, r);
mark('explain again');
await model.dispose();
console.log(
  JSON.stringify({
    model: modelPath,
    methods: methodList,
    mode,
    inputShape: x.shape,
    phases,
    runsSecond: ortMs.runs - runsBefore,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
