/**
 * Converts a TensorFlow.js LayersModel (model.json + weights) to an equivalent NCHW ONNX model, without tfjs.
 *
 * @module @gradscope/tfjs-to-onnx
 */
export {
  convertLayersModel,
  toOnnxShape,
  OPSET,
  type ConvertOptions,
  type ConversionResult,
} from './convert-layers-model.js';
export { loadModelJson } from './load-model-json.js';
export { decodeWeights, type Weight } from './decode-weights.js';
export { readTopology, type Topology, type TopologyLayer } from './topology.js';
export { UnsupportedLayerError } from './conversion-error.js';
export { supportedLayers } from './layers/index.js';
export { samePadding, windowOutput } from './window.js';
export { encodeModel, decodeModel, type IModelProto } from '@gradscope/onnx-proto';
export type { LayersModelArtifacts, LayersModelJson, WeightSpec, WeightsManifestGroup } from './artifacts.js';
