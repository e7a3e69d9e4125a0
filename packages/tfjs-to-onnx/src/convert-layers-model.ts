import { ModelLoadError } from '@gradscope/core';
import type { LayersModelArtifacts } from './artifacts.js';
import { UnsupportedLayerError } from './conversion-error.js';
import { decodeWeights, type Weight } from './decode-weights.js';
import { GraphBuilder } from './graph-builder.js';
import type { LayerContext, Shape, Value } from './layer-context.js';
import { LAYER_CONVERTERS, supportedLayers } from './layers/index.js';
import { encodeModel, floatValueInfo, type IModelProto } from '@gradscope/onnx-proto';
import { readTopology } from './topology.js';

export interface ConvertOptions {
  /** Keep a final softmax/sigmoid (default false: it is dropped and the ONNX model outputs logits). */
  readonly keepFinalActivation?: boolean;
  /** Names the model in error messages (e.g. the model.json path). */
  readonly source?: string;
}

export interface ConversionResult {
  readonly model: IModelProto;
  /** The encoded `.onnx` file. */
  readonly bytes: Uint8Array;
  /** The ONNX input: the tfjs input layer's name, shape `[N, C, H, W]` (null = dynamic). */
  readonly input: { readonly name: string; readonly shape: readonly (number | null)[] };
  /** The ONNX output tensor (a tfjs layer name) and its shape. */
  readonly output: { readonly name: string; readonly shape: readonly (number | null)[] };
  /** `softmax` or `sigmoid` when the model's final probability activation was left out, else null. */
  readonly droppedActivation: string | null;
  /** tfjs layer names that exist as ONNX tensors of the same name (every converted layer but the input). */
  readonly layers: readonly string[];
}

/** ONNX opset of the converted model (the ONNX backend raises it when its gradients need more). */
export const OPSET = 13;
const IR_VERSION = 7;

/** NHWC shape → the ONNX tensor's shape (NCHW for rank 4). */
export const toOnnxShape = (s: Shape): (number | null)[] => (s.length === 4 ? [s[0]!, s[3]!, s[1]!, s[2]!] : [...s]);

/** Finds weight `param` of `layer` (`<layer>/<param>`, also under a scope prefix or with a `_N`/`:0` suffix). */
function weightFinder(weights: ReadonlyMap<string, Weight>) {
  return (layer: string, param: string): Weight | undefined => {
    const exact = weights.get(`${layer}/${param}`);
    if (exact) return exact;
    const re = new RegExp(`^${param}(_\\d+)?(:0)?$`);
    for (const [name, w] of weights) {
      const seg = name.split('/');
      if (seg.length >= 2 && seg[seg.length - 2] === layer && re.test(seg[seg.length - 1]!)) return w;
    }
    return undefined;
  };
}

/**
 * Converts a tfjs LayersModel (topology + weights) to an ONNX model that computes the same function
 * on channels-first input: feed the tfjs input transposed NHWC → NCHW. Opset 13. Every converted
 * layer's output is an ONNX tensor (and node) named after the layer — for a conv with a fused
 * activation that is the activation's output, as in tfjs — so layer names mean the same on both
 * sides. A final softmax/sigmoid is dropped unless `keepFinalActivation`. Unsupported layers throw
 * {@link UnsupportedLayerError}, malformed artifacts ModelLoadError.
 */
export function convertLayersModel(artifacts: LayersModelArtifacts, options: ConvertOptions = {}): ConversionResult {
  const source = options.source ?? 'model.json';
  const topology = readTopology(artifacts.modelTopology, source);
  const find = weightFinder(decodeWeights(artifacts.weightSpecs, artifacts.weightData, source));
  const graph = new GraphBuilder();
  const values = new Map<string, Value>();
  let dropped: string | null = null;
  const layers: string[] = [];

  const inputLayer = topology.layers[0]!;
  const bis = inputLayer.config.batch_input_shape ?? inputLayer.config.batch_shape;
  if (!Array.isArray(bis) || bis.length !== 4) {
    throw new UnsupportedLayerError(
      'InputLayer',
      inputLayer.name,
      `input shape ${JSON.stringify(bis)} is not an image batch [N, H, W, C]`,
    );
  }
  const inShape = bis.map((d) => (typeof d === 'number' && d > 0 ? d : null));
  values.set(inputLayer.name, { tensor: graph.reserve(inputLayer.name), shape: inShape });

  for (const layer of topology.layers.slice(1)) {
    if (layer.className === 'InputLayer') throw new ModelLoadError(source, `second input layer '${layer.name}'`);
    const convert = LAYER_CONVERTERS.get(layer.className);
    if (!convert)
      throw new UnsupportedLayerError(
        layer.className,
        layer.name,
        `unsupported layer class; supported: ${supportedLayers().join(', ')}`,
      );
    const ctx: LayerContext = {
      layer,
      inputs: layer.inputs.map((n) => values.get(n)!),
      graph,
      isOutput: layer.name === topology.output,
      dropFinalActivation: !options.keepFinalActivation,
      weight: (param) => find(layer.name, param),
    };
    const r = convert(ctx);
    if (r.droppedActivation) dropped = r.droppedActivation;
    values.set(layer.name, { tensor: r.tensor, shape: r.shape });
    if (r.tensor === layer.name) layers.push(layer.name);
  }

  const out = values.get(topology.output)!;
  const input = { name: inputLayer.name, shape: toOnnxShape(inShape) };
  const output = { name: out.tensor, shape: toOnnxShape(out.shape) };
  const model: IModelProto = {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: '@gradscope/tfjs-to-onnx',
    producerVersion: '0.1.0',
    docString: `Converted from the tfjs LayersModel '${topology.name}'. Input is NCHW: transpose the tfjs NHWC input.`,
    metadataProps: [
      { key: 'gradscope.converted_from', value: 'tfjs-layers-model' },
      { key: 'gradscope.input_layout', value: 'NCHW' },
      ...(dropped ? [{ key: 'gradscope.dropped_activation', value: dropped }] : []),
    ],
    graph: {
      name: topology.name,
      node: graph.nodes,
      initializer: graph.initializers,
      input: [floatValueInfo(input.name, input.shape)],
      output: [floatValueInfo(output.name, output.shape)],
    },
  };
  return { model, bytes: encodeModel(model), input, output, droppedActivation: dropped, layers };
}
