import { ModelLoadError } from '@gradscope/core';
import { outputInfo, type OnnxGraph } from './graph/onnx-graph.js';
import { exclusive } from './exclusive.js';
import type { OrtRuntime } from './ort-types.js';
import { createSession } from './external-weights.js';

/** Shape and element type of one tensor, as seen in the probe run. */
export interface TensorFacts {
  readonly shape: readonly number[];
  /** onnxruntime's type name: `float32`, `int64`, `bool`, ... */
  readonly type: string;
}

/** Deterministic values in [-1, 1] for the probe input. */
function probeInput(n: number): Float32Array {
  const x = new Float32Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    x[i] = (s / 2 ** 32) * 2 - 1;
  }
  return x;
}

/**
 * Runs the model once with every node output exposed and records each tensor's shape and type.
 * `dims` is the probe input shape (a batch of 2 when the batch is dynamic, so that batch axes can be
 * told apart from broadcast axes of size 1).
 */
export async function probeGraph(
  ort: OrtRuntime,
  graph: OnnxGraph,
  dims: readonly number[],
  sessionOptions: Record<string, unknown>,
  source: string,
): Promise<Map<string, TensorFacts>> {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const n of graph.nodes) {
    if (n.opType === 'Constant') continue;
    for (const o of n.outputs)
      if (o && !seen.has(o)) {
        seen.add(o);
        names.push(o);
      }
  }
  const facts = new Map<string, TensorFacts>();
  let session;
  try {
    // the probe reads only shapes and types: skipping graph optimisation makes the session sooner
    const options = { ...sessionOptions, graphOptimizationLevel: 'disabled' };
    session = await createSession(
      ort,
      graph.derive({ node: graph.nodeProtos(), output: names.map(outputInfo) }),
      options,
    );
  } catch (e) {
    throw new ModelLoadError(source, `onnxruntime cannot create a session (${firstLine(e)})`, { cause: e });
  }
  try {
    const size = dims.reduce((a, b) => a * b, 1);
    const s = session;
    const out = await exclusive(ort, () =>
      s.run({ [graph.inputName]: new ort.Tensor('float32', probeInput(size), dims) }),
    );
    for (const [k, v] of Object.entries(out)) {
      facts.set(k, { shape: [...v.dims], type: v.type });
      v.dispose?.();
    }
  } catch (e) {
    throw new ModelLoadError(source, `shape probe with input [${dims.join(', ')}] failed (${firstLine(e)})`, {
      cause: e,
    });
  } finally {
    const s = session;
    await exclusive(ort, () => s.release());
  }
  facts.set(graph.inputName, { shape: [...dims], type: 'float32' });
  return facts;
}

export function firstLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  const line = m.split('\n').find((l) => l.trim()) ?? m;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
