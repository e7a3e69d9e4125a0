import * as tf from '@tensorflow/tfjs';
import {
  BadInputShapeError,
  isGradscopeError,
  ModelLoadError,
  scaledNormalization,
  type LoadOptions,
  type Model,
} from '@gradscope/core';
import { TfjsGraphModel } from './graph/graph-model.js';
import { splitFusedNodes, type GraphDefNode } from './graph/graph-model-split.js';
import { TfjsLayersModel } from './layers/layers-model.js';
import { checkLayerConfigs } from './check-layer-configs.js';
import { checkTopology } from './check-topology.js';
import type { ModelFiles } from './model-files.js';
import type { ModelMeta } from './model-meta.js';
import { parseSidecar } from './sidecar.js';

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

interface ManifestGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
}

/** Bytes a weight entry occupies in the weights files. */
function entryBytes(w: tf.io.WeightsManifestEntry): number {
  const n = w.shape.reduce((a, b) => a * b, 1);
  const per = BYTES[w.quantization?.dtype ?? w.dtype];
  if (per === undefined) throw new Error(`weight '${w.name}' has unsupported dtype ${w.dtype}`);
  return n * per;
}

/**
 * Reads a tfjs model (LayersModel `model.json` + weights, or a tfjs-converter GraphModel) and its
 * optional sidecar, and wraps it as a gradscope {@link Model}. Any failure to read or parse the
 * files is a {@link ModelLoadError} with a one-line reason.
 */
export async function loadModelFiles(files: ModelFiles, options: LoadOptions = {}): Promise<Model> {
  const fail = (reason: string, cause?: unknown) => new ModelLoadError(files.source, reason, { cause });
  let text: string;
  try {
    text = await files.readModelJson();
  } catch (e) {
    throw fail(`cannot read model.json (${firstLine(e)})`, e);
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw fail(`model.json is not valid JSON (${firstLine(e)})`, e);
  }
  const topology = json?.['modelTopology'] as Record<string, unknown> | undefined;
  if (typeof json !== 'object' || json === null || typeof topology !== 'object' || topology === null)
    throw fail('model.json has no modelTopology');
  const manifest = (json['weightsManifest'] ?? []) as ManifestGroup[];
  if (!Array.isArray(manifest)) throw fail('model.json weightsManifest is not an array');

  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const buffers: ArrayBuffer[] = [];
  for (const group of manifest) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group?.weights))
      throw fail('a weightsManifest entry lacks paths or weights');
    const expected = group.weights.reduce((s, w) => s + entryBytes(w), 0);
    let got = 0;
    for (const p of group.paths) {
      let b: ArrayBuffer;
      try {
        b = await files.readWeights(p);
      } catch (e) {
        throw fail(`cannot read weights file '${p}' (${firstLine(e)})`, e);
      }
      buffers.push(b);
      got += b.byteLength;
    }
    if (got !== expected)
      throw fail(`weights files ${group.paths.join(', ')} hold ${got} bytes, the manifest needs ${expected}`);
    weightSpecs.push(...group.weights);
  }
  const weightData = concat(buffers);

  let meta: ModelMeta = {};
  const sidecarText = await files.readSidecar().catch(() => null);
  if (sidecarText !== null) meta = parseSidecar(sidecarText, files.source);
  const normalization = options.normalization ?? scaledNormalization(meta.normalization, meta.pixelRange);
  meta = {
    ...meta,
    ...(normalization ? { normalization } : {}),
    ...(options.inputSize ? { inputSize: options.inputSize } : {}),
    ...(options.channelOrder ? { channelOrder: options.channelOrder } : {}),
    ...(options.output !== undefined ? { output: options.output } : {}),
  };

  const isGraph = json['format'] === 'graph-model' || Array.isArray(topology['node']);
  const problem = isGraph ? null : (checkLayerConfigs(topology) ?? checkTopology(topology));
  if (problem) throw fail(problem);
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: isGraph ? { ...topology, node: splitFusedNodes(topology['node'] as GraphDefNode[]) } : topology,
    weightSpecs,
    weightData,
    ...(json['format'] ? { format: json['format'] as string } : {}),
    ...(json['generatedBy'] ? { generatedBy: json['generatedBy'] as string } : {}),
    ...(json['convertedBy'] ? { convertedBy: json['convertedBy'] as string } : {}),
    ...(json['signature'] ? { signature: json['signature'] as object } : {}),
    ...(json['userDefinedMetadata']
      ? { userDefinedMetadata: json['userDefinedMetadata'] as Record<string, object> }
      : {}),
    ...(json['modelInitializer'] ? { modelInitializer: json['modelInitializer'] as object } : {}),
  };
  let loaded: tf.GraphModel | tf.LayersModel | null = null;
  try {
    let model: Model;
    if (isGraph) {
      const gm = (loaded = await tf.loadGraphModel(tf.io.fromMemory(artifacts)));
      model = await TfjsGraphModel.create(gm, artifacts.modelTopology as { node: GraphDefNode[] }, meta);
    } else {
      const lm = (loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts)));
      model = await TfjsLayersModel.create(lm, meta);
    }
    loaded = null; // owned by `model` now
    try {
      checkInputSize(model, meta.inputSize);
    } catch (e) {
      await model.dispose();
      throw e;
    }
    return model;
  } catch (e) {
    loaded?.dispose();
    if (isGradscopeError(e)) throw e;
    throw fail(firstLine(e), e);
  }
}

/** An inputSize (load option or sidecar) that contradicts the model's fixed size is refused, as on ONNX. */
function checkInputSize(model: Model, size: ModelMeta['inputSize']): void {
  const { height, width, shape } = model.input;
  if (!size || (size.height === height && size.width === width)) return;
  throw new BadInputShapeError(shape, [1, size.height, size.width, ...shape.slice(3)], 'inputSize');
}

function concat(buffers: readonly ArrayBuffer[]): ArrayBuffer {
  const out = new Uint8Array(buffers.reduce((s, b) => s + b.byteLength, 0));
  let o = 0;
  for (const b of buffers) {
    out.set(new Uint8Array(b), o);
    o += b.byteLength;
  }
  return out.buffer;
}
