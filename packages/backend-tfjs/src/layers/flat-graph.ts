import * as tf from '@tensorflow/tfjs';
import { UnsupportedModelError } from '@gradscope/core';
import type { ContainerLike, LayerLike, SymTensor } from './tfjs-internals.js';

/** One application of a (non-container) layer in the flattened graph. */
export interface FlatNode {
  /** Unique name: the layer's name, prefixed by its enclosing models (`inner/conv`), `:k` for reuse. */
  readonly name: string;
  readonly layer: LayerLike;
  readonly type: string;
  /** Keys of the tensors the node reads and writes. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly callArgs: Record<string, unknown>;
  /** Output shapes as tfjs reports them (batch and dynamic sizes null). */
  readonly shapes: readonly (readonly (number | null)[])[];
}

/**
 * A LayersModel with nested models expanded into one graph of plain layers, in topological order.
 * Tensors are named by string keys; nested models' outputs are aliases of their inner tensors.
 */
export interface FlatGraph {
  readonly inputKey: string;
  readonly inputName: string;
  readonly inputShape: readonly (number | null)[];
  /** The first output's key (see `outputs` for all of them). */
  readonly outputKey: string;
  /** Every model output: its name (`model.outputNames`) and tensor key. */
  readonly outputs: readonly { readonly name: string; readonly key: string }[];
  readonly nodes: readonly FlatNode[];
  /** Producer of each tensor key (absent for the input). */
  readonly producer: ReadonlyMap<string, FlatNode>;
  /** Layer name (including nested models' names) → the key of its output. */
  readonly layerKeys: ReadonlyMap<string, string>;
  /** Class names of the nested models (`Sequential`, `Model`), by their listed name. */
  readonly containerTypes: ReadonlyMap<string, string>;
}

const isContainer = (l: LayerLike): l is ContainerLike => l instanceof tf.LayersModel;

/** Expands `model` (functional, Sequential, nested) into a {@link FlatGraph}. */
export function flattenModel(model: tf.LayersModel): FlatGraph {
  const root = model as unknown as ContainerLike;
  if (root.inputs.length !== 1)
    throw new UnsupportedModelError(
      `model '${model.name}' has ${root.inputs.length} inputs; gradscope supports one image input`,
    );
  const nodes: FlatNode[] = [];
  const producer = new Map<string, FlatNode>();
  const layerKeys = new Map<string, string>();
  const containerTypes = new Map<string, string>();
  const nameCount = new Map<string, number>();
  const uniqueName = (base: string): string => {
    const k = nameCount.get(base) ?? 0;
    nameCount.set(base, k + 1);
    return k === 0 ? base : `${base}:${k}`;
  };
  let expansion = 0;

  const expand = (c: ContainerLike, prefix: string, inputKeys: readonly string[], scope: string): string[] => {
    const keyOf = new Map<number, string>();
    c.inputs.forEach((t, i) => keyOf.set(t.id, inputKeys[i]!));
    const resolve = (t: SymTensor): string => {
      const known = keyOf.get(t.id);
      if (known !== undefined) return known;
      const layer = t.sourceLayer;
      const node = layer.inboundNodes[t.nodeIndex];
      if (!node) throw new UnsupportedModelError(`layer '${layer.name}' has no inbound node ${t.nodeIndex}`);
      const ins = node.inputTensors.map(resolve);
      if (isContainer(layer)) {
        const outs = expand(layer, `${prefix}${layer.name}/`, ins, `${scope}.${expansion++}`);
        node.outputTensors.forEach((o, i) => keyOf.set(o.id, outs[i]!));
        const name = uniqueName(prefix + layer.name);
        layerKeys.set(name, outs[0]!);
        containerTypes.set(name, layer.getClassName());
      } else {
        const outs = node.outputTensors.map((o) => `${scope}:${o.id}`);
        const name = uniqueName(prefix + layer.name);
        const { mask: _mask, ...callArgs } = node.callArgs ?? {};
        const fn: FlatNode = {
          name,
          layer,
          type: layer.getClassName(),
          inputs: ins,
          outputs: outs,
          callArgs,
          shapes: node.outputTensors.map((o) => o.shape),
        };
        nodes.push(fn);
        outs.forEach((k) => producer.set(k, fn));
        layerKeys.set(name, outs[0]!);
        node.outputTensors.forEach((o, i) => keyOf.set(o.id, outs[i]!));
      }
      return keyOf.get(t.id)!;
    };
    return c.outputs.map(resolve);
  };

  const inputKey = 'input';
  const outputKeys = expand(root, '', [inputKey], 'r');
  const outputKey = outputKeys[0];
  const inputLayer = root.inputs[0]!.sourceLayer;
  return {
    inputKey,
    inputName: inputLayer.name,
    inputShape: root.inputs[0]!.shape,
    outputKey: outputKey!,
    outputs: outputKeys.map((key, i) => ({ name: model.outputNames[i] ?? key, key })),
    nodes,
    producer,
    layerKeys,
    containerTypes,
  };
}

/** Keys of every tensor `key` depends on (excluding itself). */
export function ancestors(g: Pick<FlatGraph, 'producer'>, key: string): Set<string> {
  const seen = new Set<string>();
  const stack = [key];
  while (stack.length) {
    const n = g.producer.get(stack.pop()!);
    if (!n) continue;
    for (const i of n.inputs)
      if (!seen.has(i)) {
        seen.add(i);
        stack.push(i);
      }
  }
  return seen;
}
