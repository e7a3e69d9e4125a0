import * as tf from '@tensorflow/tfjs';
import {
  BadInputError,
  LOGITS_LAYER,
  UnsupportedModelError,
  reinitializedWeights,
  type WeightRole,
} from '@gradscope/core';
import type { GraphDefNode } from './graph-model-split.js';

const CORE = new Set(['Conv2D', 'DepthwiseConv2dNative', 'MatMul', '_FusedConv2D', '_FusedMatMul']);
const PASS = new Set(['Relu', 'Relu6', 'Elu', 'Sigmoid', 'Tanh', 'LeakyRelu', 'Identity']);
const strip = (s: string) => s.replace(/^\^/, '').replace(/:\d+$/, '');

/** What a weight is to the op that reads it at input `i` (a fused op's args are its biases); null: kept. */
function roleOf(op: string, i: number): WeightRole | null {
  if (CORE.has(op)) return i === 1 ? 'kernel' : 'zeros';
  if (op.startsWith('FusedBatchNorm')) return i === 1 ? 'ones' : i === 2 ? 'zeros' : null; // running stats kept
  return op === 'Mul' ? 'ones' : 'zeros'; // BiasAdd, Add, AddV2, Sub; a folded batch-norm's Mul
}

/**
 * The weights (Const nodes with a weight entry) of the layer named `layer` and the role of each:
 * walking back from its node through activations, then biases, batch norms and folded batch-norm
 * Mul/Add, to the conv or MatMul that ends the layer. `LOGITS_LAYER` starts at the logits node.
 */
export function graphLayerWeights(
  nodes: ReadonlyMap<string, GraphDefNode>,
  isWeight: (name: string) => boolean,
  start: string,
): Map<string, WeightRole> {
  const out = new Map<string, WeightRole>();
  let cur = nodes.get(start);
  for (let steps = 0; cur && steps < 8; steps++) {
    const inputs = (cur.input ?? []).filter((s) => !s.startsWith('^')).map(strip);
    const weights = inputs.map((s, i) => [s, i] as const).filter(([s]) => isWeight(s));
    for (const [s, i] of weights) {
      const role = roleOf(cur.op, i);
      if (role && !out.has(s)) out.set(s, role);
    }
    if (CORE.has(cur.op)) break;
    if (!PASS.has(cur.op) && !weights.length) break;
    cur = nodes.get(inputs.find((s) => !isWeight(s)) ?? '');
  }
  return out;
}

/** Byte size of one weight entry. */
const BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };
function entryBytes(w: tf.io.WeightsManifestEntry): number {
  const per = BYTES[w.quantization?.dtype ?? w.dtype] ?? 4;
  return w.shape.reduce((a, b) => a * b, 1) * per;
}

/**
 * Artifacts with the weights of `layers` re-initialised (see `reinitializedWeights` in core: kernels
 * He truncated normal, fan-in = all dims but the last as Keras computes it; biases, β and a folded
 * batch norm's additive term zero; γ and its folded scale one; running statistics kept), seeded per
 * weight name.
 */
export function randomizedArtifacts(
  artifacts: tf.io.ModelArtifacts,
  logitsNode: string,
  layers: readonly string[],
  seed: number,
): tf.io.ModelArtifacts {
  const specs = artifacts.weightSpecs ?? [];
  const names = new Set(specs.map((w) => w.name));
  const nodes = new Map(((artifacts.modelTopology as { node: GraphDefNode[] }).node ?? []).map((n) => [n.name, n]));
  const chosen = new Map<string, WeightRole>();
  for (const l of layers) {
    const found = graphLayerWeights(nodes, (s) => names.has(s), l === LOGITS_LAYER ? logitsNode : l);
    if (!found.size) throw new BadInputError(`layer '${l}' has no weights to randomise`);
    for (const [k, v] of found) chosen.set(k, v);
  }
  const src = artifacts.weightData;
  const bytes = new Uint8Array(tf.io.concatenateArrayBuffers(Array.isArray(src) ? src : src ? [src] : []));
  let offset = 0;
  for (const w of specs) {
    const n = entryBytes(w);
    const role = chosen.get(w.name);
    if (role) {
      if (w.dtype !== 'float32' || w.quantization)
        throw new UnsupportedModelError(`weight '${w.name}' is ${w.quantization ? 'quantized' : w.dtype}`);
      const fanIn = w.shape.length <= 2 ? (w.shape[0] ?? 1) : w.shape.slice(0, -1).reduce((a, b) => a * b, 1);
      const size = n / 4;
      bytes.set(new Uint8Array(reinitializedWeights(role, size, fanIn, seed, w.name).buffer), offset);
    }
    offset += n;
  }
  return { ...artifacts, weightData: bytes.buffer };
}
