// protobuf-long.js repairs protobufjs at evaluation, before onnx-proto loads; calling its export
// again here is harmless and keeps bundlers from dropping it.
import { repairProtobufLong } from './protobuf-long.js';
import onnxProto from 'onnx-proto';

repairProtobufLong();

/** The `onnx` protobuf namespace (ModelProto, GraphProto, NodeProto, ...) from `onnx-proto`. */
export const onnx = onnxProto.onnx;
/** A decoded model (what `decodeModel` returns). */
export type ModelProto = onnxProto.onnx.ModelProto;
/** A model as plain data (what `encodeModel` takes). */
export type IModelProto = onnxProto.onnx.IModelProto;
export type GraphProto = onnxProto.onnx.GraphProto;
export type NodeProto = onnxProto.onnx.INodeProto;
export type TensorProto = onnxProto.onnx.ITensorProto;
export type AttributeProto = onnxProto.onnx.IAttributeProto;
export type ValueInfoProto = onnxProto.onnx.IValueInfoProto;

/** A protobuf int64 (number or Long) as a number. */
export function num(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Number(v);
  if (typeof v === 'bigint') return Number(v);
  return (v as { toNumber(): number }).toNumber();
}

/** Parses the bytes of an `.onnx` file (throws protobufjs's error on malformed input). */
export function decodeModel(bytes: Uint8Array): ModelProto {
  return onnx.ModelProto.decode(bytes);
}

/** Serialises a model to the bytes of an `.onnx` file (a plain Uint8Array, also in Node). */
export function encodeModel(model: IModelProto): Uint8Array {
  const b = onnx.ModelProto.encode(model).finish(); // a Buffer in Node
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
