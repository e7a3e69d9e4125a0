import { createGradscope, type Method, type Model, type Tensor } from '@gradscope/core';
import { formatMs } from './format-table.js';
import type { BenchOptions, BenchRow } from './suite.js';
import { timeInterleaved } from './time-median.js';

/** Keys of the forward pass and the reference among the timed operations (method ids are kebab-case). */
const FORWARD = ' forward';
const REFERENCE = ' reference';

export interface BenchModelOptions extends BenchOptions {
  readonly model: string;
  readonly runtime: string;
  /** Every method that may be timed; `methods` selects from these by id. */
  readonly registry: readonly Method<any>[];
  /** Target layer for layer methods; `auto` by default. */
  readonly layer?: string;
  readonly note?: string;
  /** A runtime-native forward (e.g. tfjs `predict`) timed alongside, to show the backend's overhead. */
  readonly reference?: { readonly label: string; run(): Promise<unknown> };
}

/**
 * Times `model.forward(input)` and a full `explain` (the public entry point, default options and the
 * top-1 class) for each method on any backend's loaded model, interleaved round-robin. Every call
 * reads its result back, so lazy runtimes are measured to completion.
 */
export async function benchModel(model: Model, input: Tensor, o: BenchModelOptions): Promise<BenchRow> {
  const gs = createGradscope({ methods: o.registry });
  try {
    const ops: Record<string, () => Promise<unknown>> = { [FORWARD]: () => model.forward(input) };
    const notes = o.note ? [o.note] : [];
    for (const id of o.methods) {
      const req = { method: id, ...(o.layer ? { layer: o.layer } : {}) };
      ops[id] = () => gs.explain(model, input, req);
      const first = await gs.explain(model, input, req); // fails fast, and names the layers used
      if (first.layers.length) notes.push(`${id} at ${first.layers.join(' + ')}`);
    }
    if (o.reference) ops[REFERENCE] = () => o.reference!.run();
    const { [FORWARD]: forward, [REFERENCE]: reference, ...methods } = await timeInterleaved(ops, o);
    if (o.reference && reference) notes.push(`${o.reference.label} ${formatMs(reference.medianMs)} ms`);
    return {
      model: o.model,
      runtime: o.runtime,
      forward: forward!,
      methods,
      ...(notes.length ? { note: notes.join('; ') } : {}),
    };
  } finally {
    await gs.dispose();
  }
}
