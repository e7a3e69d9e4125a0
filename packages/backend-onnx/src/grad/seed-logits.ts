import { floatValueInfo, type ValueInfoProto } from '@gradscope/onnx-proto';
import type { OnnxGraph } from '../graph/onnx-graph.js';
import type { TensorFacts } from '../probe.js';
import { argmaxHeadRows } from './argmax-head.js';
import { finerSeed, type FinerSeedSpec } from './finer-seed.js';
import type { NodeEmitter } from './node-emitter.js';

/** Where the backward walk starts: the graph input that carries the seed, and the initial gradients. */
export interface LogitSeeds {
  /** The seed input `gradscope/seed` ([N, K]), or with `fromArgmax` the sign input `gradscope/sign` ([N, 1]). */
  readonly input: string;
  readonly inputInfo: ValueInfoProto;
  /** Initial gradients for the walk (tensor → gradient name). */
  readonly seeds: ReadonlyMap<string, string>;
}

/**
 * Seeds d score / d logits. By default the seed is a graph input. With `fromArgmax` (top-1 class
 * targets) it is sign·onehot(argmax(logits)) computed in the graph (first maximum, like core's
 * `argmax`); and when the logits come from a linear head whose input needs a gradient (and the
 * logits are not themselves a requested layer), the head's input is seeded directly with sign
 * times one row of its weight, so the head's own rule never runs (see `argmaxHeadRows`).
 */
export function seedLogits(
  graph: OnnxGraph,
  facts: ReadonlyMap<string, TensorFacts>,
  need: ReadonlySet<string>,
  emitter: NodeEmitter,
  request: {
    readonly layers: readonly string[];
    readonly seedFromArgmax?: boolean | undefined;
    readonly finerSeed?: FinerSeedSpec | undefined;
    /** The seed input's name when a graph has several (default `gradscope/seed` or `gradscope/sign`). */
    readonly seedInput?: string;
  },
): LogitSeeds {
  const dims = (facts.get(graph.outputName)?.shape ?? []).slice(1);
  const K = dims[0]!;
  if (request.finerSeed) {
    const f = request.finerSeed;
    const input = request.seedInput ?? 'gradscope/finer';
    const inputInfo = floatValueInfo(input, ['N', f.top ? 1 : K]);
    return {
      input,
      inputInfo,
      seeds: new Map([[graph.outputName, finerSeed(emitter, graph.outputName, K, input, f)]]),
    };
  }
  const fromArgmax = !!request.seedFromArgmax;
  const input = request.seedInput ?? (fromArgmax ? 'gradscope/sign' : 'gradscope/seed');
  const inputInfo = floatValueInfo(input, ['N', ...(fromArgmax ? [1] : dims)]);
  if (!fromArgmax) return { input, inputInfo, seeds: new Map([[graph.outputName, input]]) };
  const arg = emitter.op('ArgMax', [graph.outputName], { axis: 1, keepdims: 0 });
  const head = request.layers.includes(graph.outputName) ? null : argmaxHeadRows(graph, facts);
  if (head && need.has(head.input)) {
    const rows = typeof head.rows === 'string' ? head.rows : emitter.constFloat(head.rows.values, head.rows.dims);
    const row = emitter.op('Gather', [rows, arg], { axis: 0 });
    return { input, inputInfo, seeds: new Map([[head.input, emitter.op('Mul', [row, input])]]) };
  }
  const onehot = emitter.op('OneHot', [arg, emitter.constInt64([K], []), emitter.constFloat([0, 1], [2])], {
    axis: -1,
  });
  return { input, inputInfo, seeds: new Map([[graph.outputName, emitter.op('Mul', [onehot, input])]]) };
}
