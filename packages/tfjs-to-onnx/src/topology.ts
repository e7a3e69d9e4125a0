import { ModelLoadError } from '@gradscope/core';
import { UnsupportedLayerError } from './conversion-error.js';

/** One layer application of a tfjs (Keras 2 format) topology. */
export interface TopologyLayer {
  readonly className: string;
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** Names of the layers whose (single) outputs feed this layer, in argument order. */
  readonly inputs: readonly string[];
}

/** A single-input, single-output layer graph in topological order (only layers feeding the output). */
export interface Topology {
  readonly name: string;
  readonly layers: readonly TopologyLayer[];
  readonly input: string;
  readonly output: string;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const NESTED = new Set(['Model', 'Sequential', 'Functional']);

/** `[layerName, nodeIndex, tensorIndex, …]` → layer name, refusing anything but a layer's first output. */
function refName(ref: unknown, source: string, at: string): string {
  if (!Array.isArray(ref) || typeof ref[0] !== 'string')
    throw new ModelLoadError(source, `malformed tensor reference in ${at}: ${JSON.stringify(ref)}`);
  if ((ref[2] ?? 0) !== 0)
    throw new ModelLoadError(
      source,
      `${at} uses output ${ref[2]} of layer '${ref[0]}'; only single-output layers are supported`,
    );
  return ref[0];
}

function layerOf(raw: unknown, source: string): { className: string; name: string; config: Json; raw: Json } {
  if (!isObj(raw) || typeof raw.class_name !== 'string' || !isObj(raw.config))
    throw new ModelLoadError(source, `malformed layer entry ${JSON.stringify(raw)?.slice(0, 120)}`);
  const name = typeof raw.name === 'string' ? raw.name : typeof raw.config.name === 'string' ? raw.config.name : '';
  if (!name) throw new ModelLoadError(source, `a ${raw.class_name} layer has no name`);
  return { className: raw.class_name, name, config: raw.config, raw };
}

function functional(config: Json, source: string): Omit<Topology, 'layers'> & { all: TopologyLayer[] } {
  const layers = Array.isArray(config.layers) ? config.layers : [];
  const all = layers.map((raw): TopologyLayer => {
    const l = layerOf(raw, source);
    if (NESTED.has(l.className))
      throw new UnsupportedLayerError(
        l.className,
        l.name,
        'nested models are not supported; rebuild the model with their layers inlined',
      );
    const nodes = Array.isArray(l.raw.inbound_nodes) ? l.raw.inbound_nodes : [];
    if (nodes.length > 1)
      throw new UnsupportedLayerError(
        l.className,
        l.name,
        `the layer is shared (applied ${nodes.length} times); only layers applied once are supported`,
      );
    const node = nodes[0];
    if (node !== undefined && !Array.isArray(node))
      throw new ModelLoadError(
        source,
        `layer '${l.name}': unsupported inbound_nodes format (Keras 3 models are not supported)`,
      );
    return {
      className: l.className,
      name: l.name,
      config: l.config,
      inputs: ((node ?? []) as unknown[]).map((r) => refName(r, source, `layer '${l.name}'`)),
    };
  });
  const ins = Array.isArray(config.input_layers) ? config.input_layers : [];
  const outs = Array.isArray(config.output_layers) ? config.output_layers : [];
  if (ins.length !== 1 || outs.length !== 1)
    throw new ModelLoadError(
      source,
      `the model has ${ins.length} inputs and ${outs.length} outputs; exactly one of each is supported`,
    );
  return {
    name: typeof config.name === 'string' ? config.name : 'model',
    all,
    input: refName(ins[0], source, 'input_layers'),
    output: refName(outs[0], source, 'output_layers'),
  };
}

function sequential(config: unknown, source: string): Omit<Topology, 'layers'> & { all: TopologyLayer[] } {
  const list = Array.isArray(config) ? config : isObj(config) && Array.isArray(config.layers) ? config.layers : null;
  if (!list || !list.length) throw new ModelLoadError(source, 'Sequential model without layers');
  const parsed = list.map((raw) => layerOf(raw, source));
  const all: TopologyLayer[] = [];
  let prev: string;
  if (parsed[0]!.className === 'InputLayer') {
    prev = parsed.shift()!.name;
    all.push({ className: 'InputLayer', name: prev, config: list[0].config, inputs: [] });
  } else {
    const shape =
      parsed[0]!.config.batch_input_shape ??
      (Array.isArray(parsed[0]!.config.input_shape)
        ? [null, ...(parsed[0]!.config.input_shape as unknown[])]
        : undefined);
    if (!shape)
      throw new ModelLoadError(
        source,
        `the first layer '${parsed[0]!.name}' of the Sequential model declares no input shape`,
      );
    prev = `${parsed[0]!.name}_input`;
    all.push({ className: 'InputLayer', name: prev, config: { batch_input_shape: shape, name: prev }, inputs: [] });
  }
  for (const l of parsed) {
    if (NESTED.has(l.className))
      throw new UnsupportedLayerError(
        l.className,
        l.name,
        'nested models are not supported; rebuild the model with their layers inlined',
      );
    all.push({ className: l.className, name: l.name, config: l.config, inputs: [prev] });
    prev = l.name;
  }
  const name = isObj(config) && typeof config.name === 'string' ? config.name : 'sequential';
  return { name, all, input: all[0]!.name, output: prev };
}

/**
 * Reads a tfjs/Keras 2 `modelTopology` (functional `Model`/`Functional` or `Sequential`) into the
 * layers that feed its single output, in topological order.
 */
export function readTopology(modelTopology: unknown, source = 'model.json'): Topology {
  const top = isObj(modelTopology) && isObj(modelTopology.model_config) ? modelTopology.model_config : modelTopology;
  if (!isObj(top) || typeof top.class_name !== 'string')
    throw new ModelLoadError(source, 'modelTopology is not a Keras model description (no class_name)');
  let g: ReturnType<typeof functional>;
  if (top.class_name === 'Sequential') g = sequential(top.config, source);
  else if (top.class_name === 'Model' || top.class_name === 'Functional') {
    if (!isObj(top.config)) throw new ModelLoadError(source, 'model config missing');
    g = functional(top.config, source);
  } else
    throw new ModelLoadError(
      source,
      `unsupported model class '${top.class_name}' (expected Model, Functional or Sequential)`,
    );
  const byName = new Map(g.all.map((l) => [l.name, l]));
  const order: TopologyLayer[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string) => {
    const l = byName.get(name);
    if (!l) throw new ModelLoadError(source, `layer '${name}' is referenced but not defined`);
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting')
      throw new ModelLoadError(source, `the layer graph has a cycle through '${name}'`);
    state.set(name, 'visiting');
    l.inputs.forEach(visit);
    state.set(name, 'done');
    order.push(l);
  };
  visit(g.output);
  const sources = order.filter((l) => l.inputs.length === 0);
  if (sources.length !== 1 || sources[0]!.name !== g.input || sources[0]!.className !== 'InputLayer') {
    throw new ModelLoadError(source, `the output does not depend on the input layer '${g.input}' alone`);
  }
  return { name: g.name, layers: order, input: g.input, output: g.output };
}
