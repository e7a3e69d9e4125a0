import { fixProtobufLong } from './protobuf-long.js';
import onnxProto from 'onnx-proto';

/** The `onnx` protobuf namespace of `onnx-proto` (ModelProto, NodeProto, TensorProto, ...). */
export const onnx = onnxProto.onnx;
export type IModelProto = onnxProto.onnx.IModelProto;
export type INodeProto = onnxProto.onnx.INodeProto;
export type ITensorProto = onnxProto.onnx.ITensorProto;
export type IAttributeProto = onnxProto.onnx.IAttributeProto;
export type IValueInfoProto = onnxProto.onnx.IValueInfoProto;

/** Serialises a ModelProto to the bytes of an `.onnx` file. */
export function encodeModel(model: IModelProto): Uint8Array {
  fixProtobufLong();
  const b = onnx.ModelProto.encode(model).finish(); // a Buffer in Node
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Parses `.onnx` bytes (used by tests and tools that inspect a converted model). */
export function decodeModel(bytes: Uint8Array): onnxProto.onnx.ModelProto {
  fixProtobufLong();
  return onnx.ModelProto.decode(bytes);
}
