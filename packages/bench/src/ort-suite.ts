import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createOnnxBackend, type OrtRuntime } from '@gradscope/backend-onnx/node';
import { builtinMethods } from '@gradscope/methods';
import { benchModel } from './bench-model.js';
import { prepareFullModels, type FullModels } from './full-models.js';
import { ORT_NODE_GOALS, ORT_WEB_GOALS, type RowGoals } from './goals.js';
import { noiseInput } from './noise-input.js';
import type { BenchOptions, BenchRow, BenchSuite, TorchReference } from './suite.js';

/** The tiny shapes model is timed but not judged: fixed per-call costs (resize, scaling) dominate it. */
const NO_GOALS: RowGoals = { ratio: {} };

const SHAPES_ONNX = fileURLToPath(new URL('../../shapes/model/model.onnx', import.meta.url));

/** One onnxruntime flavour: how to import it, set it to one thread, and label it. */
interface OrtFlavour {
  readonly id: 'ort-node' | 'ort-web';
  readonly runtime: string;
  readonly goals: RowGoals;
  /** Warm-up calls at least (onnxruntime-web's wasm needs several before its timings settle). */
  readonly minWarmup: number;
  setup(): Promise<{ ort: OrtRuntime; sessionOptions: Record<string, unknown> }>;
}

const FLAVOURS: readonly OrtFlavour[] = [
  {
    id: 'ort-node',
    runtime: 'ort-node 1.30 (cpu, 1 thread)',
    goals: ORT_NODE_GOALS,
    minWarmup: 3,
    async setup() {
      const ort = await import('onnxruntime-node');
      return { ort: ort as unknown as OrtRuntime, sessionOptions: { intraOpNumThreads: 1, interOpNumThreads: 1 } };
    },
  },
  {
    id: 'ort-web',
    runtime: 'ort-web 1.30 (wasm, node, 1 thread)',
    goals: ORT_WEB_GOALS,
    minWarmup: 6,
    async setup() {
      const ort = await import('onnxruntime-web');
      ort.env.wasm.numThreads = 1;
      return { ort: ort as unknown as OrtRuntime, sessionOptions: {} };
    },
  },
];

interface OrtModelSpec {
  readonly label: string;
  readonly path: string;
  readonly layer?: string;
  readonly torch?: TorchReference;
  /** Held to the runtime's ONNX goals (the full-size networks; a tiny model's per-call overhead dominates). */
  readonly judged: boolean;
}

/**
 * Benchmarks one ONNX file through the backend, with a plain `session.run` of the unmodified model
 * on the same runtime and session options as the reference forward.
 */
async function benchOnnx(
  spec: OrtModelSpec,
  f: OrtFlavour,
  ort: OrtRuntime,
  sessionOptions: Record<string, unknown>,
  o: BenchOptions,
): Promise<BenchRow> {
  const model = await createOnnxBackend({ ort, sessionOptions }).load(spec.path);
  try {
    const plain = await ort.InferenceSession.create(new Uint8Array(readFileSync(spec.path)), {
      graphOptimizationLevel: 'all',
      ...sessionOptions,
    });
    try {
      const input = noiseInput(model);
      const feed = { [plain.inputNames[0]!]: new ort.Tensor('float32', input.data as Float32Array, input.shape) };
      const run = async () => {
        const out = await plain.run(feed);
        for (const t of Object.values(out)) void (t.data as Float32Array)[0];
      };
      const row = await benchModel(model, input, {
        ...o,
        warmup: Math.max(o.warmup, f.minWarmup),
        model: spec.label,
        runtime: f.runtime,
        registry: builtinMethods,
        ...(spec.layer ? { layer: spec.layer } : {}),
        reference: { label: 'plain session.run', run },
      });
      return { ...row, goals: spec.judged ? f.goals : NO_GOALS, ...(spec.torch ? { torch: spec.torch } : {}) };
    } finally {
      await plain.release();
    }
  } finally {
    await model.dispose();
  }
}

/**
 * The ONNX Runtime suites (`ort-node`, `ort-web`): the built-in shapes model when
 * `packages/shapes/model/model.onnx` exists, and full-size seeded random-weight torchvision
 * resnet18 (Grad-CAM at `layer4`) and mobilenet_v2 (at `features`) from `scripts/make-full-models.py`,
 * which also times PyTorch on the same CPU as a reference. Without PyTorch and without the cached
 * models, the full-size rows are skipped with one line saying so. The model preparation is shared by
 * both suites (made once per process).
 */
export function ortSuites(): BenchSuite[] {
  let full: FullModels | undefined;
  let told = false;
  return FLAVOURS.map((f): BenchSuite => ({
    id: f.id,
    async run(o) {
      full ??= prepareFullModels();
      const specs: OrtModelSpec[] = [];
      if (existsSync(SHAPES_ONNX)) specs.push({ label: 'shapes (built-in)', path: SHAPES_ONNX, judged: false });
      else console.error(`bench: skipping the shapes model on ONNX: ${SHAPES_ONNX} does not exist (build it first)`);
      if ('skipped' in full) {
        if (!told) console.error(`bench: ${full.skipped}`);
        told = true;
      } else {
        for (const m of full.models)
          specs.push({
            label: `${m.name} 224² (random)`,
            path: m.path,
            layer: m.layer,
            judged: true,
            ...(m.torch ? { torch: m.torch } : {}),
          });
      }
      const { ort, sessionOptions } = await f.setup();
      const rows: BenchRow[] = [];
      for (const spec of specs) rows.push(await benchOnnx(spec, f, ort, sessionOptions, o));
      return rows;
    },
  }));
}

/** `ort-node` and `ort-web`, sharing one preparation of the full-size models. */
export const ORT_SUITES: readonly BenchSuite[] = ortSuites();
