import { parentPort, workerData } from 'node:worker_threads';
import { describeError } from '../describe-error.js';
import { loadPlugins } from '../plugins.js';
import type { EvaluationJob, EvaluationSpec } from './evaluation-spec.js';
import { evaluateJob } from './evaluate-job.js';
import { loadEvaluator } from './load-evaluator.js';

/**
 * A worker thread of `evaluate --workers n`: loads the model once (the real backends, ONNX Runtime on
 * one thread, the spec's plugins), says `ready`, then answers each `{ id, job }` with `{ id, records }`
 * or `{ id, error }`. A failure to load is sent as `{ error }` before exiting.
 */
async function serve(spec: EvaluationSpec): Promise<void> {
  const { defaultWiring } = await import('../default-wiring.js');
  const base = await defaultWiring({ onnxThreads: 1 });
  const extra = spec.plugins.length ? await loadPlugins(spec.plugins, process.cwd()) : null;
  const wiring = extra
    ? { ...base, methods: [...base.methods, ...extra.methods], metrics: [...(base.metrics ?? []), ...extra.metrics] }
    : base;
  const ev = await loadEvaluator(spec, wiring);
  const port = parentPort!;
  port.on('message', (msg: { id: number; job: EvaluationJob } | 'close') => {
    if (msg === 'close') {
      void ev.dispose().finally(() => port.close());
      return;
    }
    evaluateJob(msg.job, ev).then(
      (records) => port.postMessage({ id: msg.id, records }),
      (e: unknown) => port.postMessage({ id: msg.id, error: describeError(e).message }),
    );
  });
  port.postMessage('ready');
}

serve(workerData as EvaluationSpec).catch((e: unknown) => {
  parentPort!.postMessage({ error: describeError(e).message });
});
