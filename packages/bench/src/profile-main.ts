/**
 * `pnpm --filter @gradscope/bench profile <model.onnx> [--method id] [--layer L] [--runs N]`:
 * where the time of one method goes on onnxruntime-node (1 thread), by operator type, next to the
 * plain forward pass: ONNX Runtime's own kernel profile of the derived forward+backward session.
 */
import { parseArgs } from 'node:util';
import { createOnnxBackend, type OrtRuntime } from '@gradscope/backend-onnx/node';
import { createGradscope } from '@gradscope/core';
import { builtinMethods } from '@gradscope/methods';
import { noiseInput } from './noise-input.js';
import { byOpType, profilingRuntime, readProfile } from './op-profile.js';

const USAGE =
  'usage: pnpm --filter @gradscope/bench profile <model.onnx> [--method gradcam|guided-backprop|deconvnet|saliency|…] [--layer L] [--runs N] [--top N]';

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        method: { type: 'string', default: 'guided-backprop' },
        layer: { type: 'string' },
        runs: { type: 'string', default: '10' },
        top: { type: 'string', default: '12' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length !== 1) {
    (values.help ? console.log : console.error)(USAGE);
    return values.help ? 0 : 2;
  }
  const runs = Number(values.runs);
  const ort = (await import('onnxruntime-node')) as unknown as OrtRuntime;
  const prof = profilingRuntime(ort);
  const gs = createGradscope({ methods: builtinMethods });
  try {
    const model = await createOnnxBackend({
      ort: prof.ort,
      sessionOptions: { intraOpNumThreads: 1, interOpNumThreads: 1 },
    }).load(positionals[0]!);
    try {
      const x = noiseInput(model);
      const req = { method: values.method, ...(values.layer ? { layer: values.layer } : {}) };
      for (let i = 0; i < runs + 2; i++) await model.forward(x);
      for (let i = 0; i < runs + 2; i++) await gs.explain(model, x, req);
    } finally {
      await model.dispose();
    }
    // sessions in creation order: the probe, the forward, then the method's derived session(s)
    const [, forward, ...derived] = prof.traces().map(readProfile);
    const fwd = new Map(byOpType(forward!));
    const method = byOpType(derived.at(-1)!);
    const total = (rows: Iterable<[string, number]>) => [...rows].reduce((s, [, ms]) => s + ms, 0);
    console.log(`| operator | forward ms/run | ${values.method} ms/run |\n|---|---|---|`);
    for (const [op, ms] of method.slice(0, Number(values.top)))
      console.log(`| ${op} | ${(fwd.get(op) ?? 0).toFixed(2)} | ${ms.toFixed(2)} |`);
    console.log(`| all kernels | ${total(fwd).toFixed(2)} | ${total(method).toFixed(2)} |`);
    console.log(
      `\nN(0, 1) noise input, ${runs + 2} runs each (2 warm-up runs included in the trace), onnxruntime-node, 1 thread.`,
    );
    return 0;
  } finally {
    await gs.dispose();
    prof.dispose();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`profile: ${(e as Error).message}`);
    process.exit(1);
  },
);
