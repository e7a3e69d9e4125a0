import { AbortedError, MissingCapabilityError } from './errors.js';
import type { BatchOptions, BatchSource, ExplainContext, ExplainSubject } from './method.js';
import type { Model } from './model.js';
import { sizeOf, type Tensor } from './tensor.js';

/** How a run is observed and cancelled. */
export interface RunControl {
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

export const DEFAULT_BATCH = 32;

const countOf = (s: BatchSource): number => ('count' in s ? s.count : s.shape[0]!);

/** Rows `[start, end)` of a tensor along its batch axis (a view). */
export function rows(t: Tensor, start: number, end: number): Tensor {
  const n = sizeOf(t.shape.slice(1));
  return { data: t.data.subarray(start * n, end * n), shape: [end - start, ...t.shape.slice(1)] };
}

/**
 * Runs `run` on chunks of `source` (at most `batch` rows each, so only one chunk of inputs is ever
 * built) and stacks the `[rows, K]` results into `[N, K]`. The signal is checked before every chunk.
 */
async function chunked(
  source: BatchSource,
  options: BatchOptions | undefined,
  model: Model,
  ctl: Required<Pick<ExplainContext, 'onProgress' | 'checkAborted'>>,
  run: (chunk: Tensor) => Promise<Tensor>,
): Promise<Tensor> {
  const N = countOf(source);
  const batch = model.capabilities.has('batched-forward') ? Math.max(1, options?.batch ?? DEFAULT_BATCH) : 1;
  const offset = options?.progress?.offset ?? 0;
  const total = options?.progress?.total ?? N;
  let out: Float32Array | null = null;
  let K = 0;
  for (let start = 0; start < N; start += batch) {
    ctl.checkAborted();
    const end = Math.min(N, start + batch);
    const chunk = 'count' in source ? await source.make(start, end) : rows(source, start, end);
    const y = await run(chunk);
    K = y.shape[1] ?? 1;
    out ??= new Float32Array(N * K);
    out.set(y.data.subarray(0, (end - start) * K), start * K);
    ctl.onProgress(offset + end, total);
  }
  return { data: out ?? new Float32Array(0), shape: [N, K] };
}

/**
 * The context a method runs in: the subject plus chunked `forwardBatch` / `runFromLayer`, progress
 * and cancellation. A missing `signal` never fires; a missing `onProgress` is a no-op.
 */
export function explainContext(subject: ExplainSubject, control: RunControl = {}): ExplainContext {
  const signal = control.signal ?? new AbortController().signal;
  const report = control.onProgress;
  const checkAborted = () => {
    if (signal.aborted) throw new AbortedError('explain', signal.reason);
  };
  const onProgress = (done: number, total: number) => report?.(done, total);
  const ctl = { onProgress, checkAborted };
  const { model, input } = subject;
  return {
    ...subject,
    signal,
    checkAborted,
    onProgress,
    forwardBatch: (inputs, options) => chunked(inputs, options, model, ctl, (x) => model.forward(x)),
    runFromLayer: (layer, activations, options) => {
      const tail = model.runFromLayer?.bind(model);
      if (!tail) throw new MissingCapabilityError('run-from-layer', model.backend, ['run-from-layer'], model.name);
      return chunked(activations, options, model, ctl, (a) => tail(input, layer, a));
    },
  };
}

/** The same run (progress, signal) for another subject, e.g. an augmented or noisy input. */
export function withSubject(ctx: ExplainContext, patch: Partial<ExplainSubject>): ExplainContext {
  const { model, input, layers, target } = ctx;
  return explainContext({ model, input, layers, target, ...patch }, { onProgress: ctx.onProgress, signal: ctx.signal });
}
