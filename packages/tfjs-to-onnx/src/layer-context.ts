import { UnsupportedLayerError } from './conversion-error.js';
import type { Weight } from './decode-weights.js';
import type { AttrValue } from '@gradscope/onnx-proto';
import type { GraphBuilder } from './graph-builder.js';
import type { TopologyLayer } from './topology.js';

/** A tensor shape in tfjs terms (NHWC for images, batch first); null = unknown. */
export type Shape = readonly (number | null)[];

/** A converted tensor: its ONNX name (channels-first when rank 4) and its tfjs (NHWC) shape. */
export interface Value {
  readonly tensor: string;
  readonly shape: Shape;
}

/** What a layer converter is given. */
export interface LayerContext {
  readonly layer: TopologyLayer;
  readonly inputs: readonly Value[];
  readonly graph: GraphBuilder;
  /** True for the model's output layer (whose final softmax/sigmoid may be dropped). */
  readonly isOutput: boolean;
  /** Drop a final softmax/sigmoid so the ONNX model outputs logits (default true). */
  readonly dropFinalActivation: boolean;
  /** The layer's weight `param` (`kernel`, `bias`, `gamma`, …), or undefined when absent. */
  weight(param: string): Weight | undefined;
}

/** What a layer converter returns: its output, and the final activation it left out, if any. */
export interface LayerResult extends Value {
  readonly droppedActivation?: string;
}

/** Converts one tfjs layer class to ONNX nodes. */
export type LayerConverter = (ctx: LayerContext) => LayerResult;

/** Throws an UnsupportedLayerError for this layer. */
export function fail(ctx: LayerContext, detail: string): never {
  throw new UnsupportedLayerError(ctx.layer.className, ctx.layer.name, detail);
}

/** The layer's only input. */
export function single(ctx: LayerContext): Value {
  if (ctx.inputs.length !== 1) fail(ctx, `expected one input, got ${ctx.inputs.length}`);
  return ctx.inputs[0]!;
}

/** A required weight. */
export function requireWeight(ctx: LayerContext, param: string): Weight {
  const w = ctx.weight(param);
  if (!w) fail(ctx, `weight '${ctx.layer.name}/${param}' is missing from the weights manifest`);
  return w;
}

/** A config entry that is an int or a pair of ints (`kernel_size`, `strides`, …). */
export function pair(ctx: LayerContext, key: string, dflt: readonly [number, number]): [number, number] {
  const v = ctx.layer.config[key];
  if (v === undefined || v === null) return [...dflt];
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) return [v[0], v[1]];
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'number') return [v[0], v[0]];
  return fail(ctx, `cannot read ${key}=${JSON.stringify(v)}`);
}

/** The `padding` setting, `same` or `valid`. */
export function paddingOf(ctx: LayerContext): 'same' | 'valid' {
  const p = ctx.layer.config.padding ?? 'valid';
  if (p !== 'same' && p !== 'valid') fail(ctx, `padding '${String(p)}' is not supported (only 'same' and 'valid')`);
  return p;
}

/** Refuses `data_format: channels_first` (the converter assumes tfjs's default channels_last). */
export function requireChannelsLast(ctx: LayerContext): void {
  const f = ctx.layer.config.data_format;
  if (f !== undefined && f !== null && f !== 'channels_last')
    fail(ctx, `data_format '${String(f)}' is not supported (only channels_last)`);
}

/** Adds a node; the layer's final node takes the layer name, helpers `<layer>/<Op>`. */
export function emit(
  ctx: LayerContext,
  opType: string,
  inputs: readonly string[],
  attrs: Readonly<Record<string, AttrValue>>,
  final: boolean,
): string {
  const out = final ? ctx.layer.name : ctx.graph.unique(`${ctx.layer.name}/${opType}`);
  return ctx.graph.node(opType, inputs, out, attrs);
}
