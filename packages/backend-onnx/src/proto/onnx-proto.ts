// protobuf-long.js repairs protobufjs at evaluation, before onnx-proto loads; calling its export
// again here is harmless and keeps bundlers from dropping it.
import { repairProtobufLong } from './protobuf-long.js';
import onnxProto from 'onnx-proto';

repairProtobufLong();

/** The `onnx` protobuf namespace (ModelProto, GraphProto, NodeProto, ...) from `onnx-proto`. */
export const onnx = onnxProto.onnx;
export type ModelProto = onnxProto.onnx.ModelProto;
export type IModelProto = onnxProto.onnx.IModelProto;
export type GraphProto = onnxProto.onnx.GraphProto;
export type NodeProto = onnxProto.onnx.INodeProto;
export type TensorProto = onnxProto.onnx.ITensorProto;
export type AttributeProto = onnxProto.onnx.IAttributeProto;
export type ValueInfoProto = onnxProto.onnx.IValueInfoProto;

/** ONNX TensorProto element types used here. */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7, BOOL: 9 } as const;

/** A protobuf int64 (number or Long) as a number. */
export function num(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Number(v);
  if (typeof v === 'bigint') return Number(v);
  return (v as { toNumber(): number }).toNumber();
}

export function decodeModel(bytes: Uint8Array): ModelProto {
  return onnx.ModelProto.decode(bytes);
}

export function encodeModel(model: IModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

/** A float32 initializer. */
export function floatTensor(name: string, dims: readonly number[], data: ArrayLike<number>): TensorProto {
  const f = Float32Array.from(data);
  return { name, dims: [...dims], dataType: DataType.FLOAT, rawData: new Uint8Array(f.buffer) };
}

/** An int64 initializer. */
export function int64Tensor(name: string, dims: readonly number[], data: readonly number[]): TensorProto {
  const b = new BigInt64Array(data.map((v) => BigInt(v)));
  return { name, dims: [...dims], dataType: DataType.INT64, rawData: new Uint8Array(b.buffer) };
}

function raw(t: TensorProto): Uint8Array | null {
  const r = t.rawData;
  return r && r.length ? r : null;
}

/** Values of a float, int32 or int64 TensorProto as numbers (null for other types or external data). */
export function tensorValues(t: TensorProto): Float64Array | null {
  const type = num(t.dataType);
  const r = raw(t);
  const copy = (r: Uint8Array) => r.buffer.slice(r.byteOffset, r.byteOffset + r.byteLength);
  if (type === DataType.FLOAT) return Float64Array.from(r ? new Float32Array(copy(r)) : (t.floatData ?? []));
  if (type === DataType.INT64)
    return r ? Float64Array.from(new BigInt64Array(copy(r)), Number) : Float64Array.from((t.int64Data ?? []).map(num));
  if (type === DataType.INT32)
    return r ? Float64Array.from(new Int32Array(copy(r))) : Float64Array.from(t.int32Data ?? []);
  if (type === 11 /* DOUBLE */) return r ? new Float64Array(copy(r)) : Float64Array.from(t.doubleData ?? []);
  return null;
}

export function tensorDims(t: TensorProto): number[] {
  return (t.dims ?? []).map(num);
}
