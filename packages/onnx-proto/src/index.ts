/**
 * The ONNX protobuf for gradscope: decode/encode ModelProto, tensor and attribute helpers (on onnx-proto).
 *
 * @module @gradscope/onnx-proto
 */
export {
  onnx,
  num,
  decodeModel,
  encodeModel,
  type ModelProto,
  type IModelProto,
  type GraphProto,
  type NodeProto,
  type TensorProto,
  type AttributeProto,
  type ValueInfoProto,
} from './onnx.js';
export { DataType, floatTensor, int64Tensor, tensorValues, tensorDims, floatValueInfo } from './tensors.js';
export { Attributes, attribute, type AttrValue } from './attributes.js';
