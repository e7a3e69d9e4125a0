import { num, type TensorProto, type ValueInfoProto } from './onnx.js';

/** ONNX TensorProto element types used by gradscope. */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7, BOOL: 9, DOUBLE: 11 } as const;

/** A float32 initializer (the values are copied). */
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

/** Values of a float, double, int32 or int64 TensorProto as numbers (null for other types or external data). */
export function tensorValues(t: TensorProto): Float64Array | null {
  const type = num(t.dataType);
  const r = raw(t);
  const copy = (r: Uint8Array) => r.buffer.slice(r.byteOffset, r.byteOffset + r.byteLength);
  if (type === DataType.FLOAT) return Float64Array.from(r ? new Float32Array(copy(r)) : (t.floatData ?? []));
  if (type === DataType.INT64)
    return r ? Float64Array.from(new BigInt64Array(copy(r)), Number) : Float64Array.from((t.int64Data ?? []).map(num));
  if (type === DataType.INT32)
    return r ? Float64Array.from(new Int32Array(copy(r))) : Float64Array.from(t.int32Data ?? []);
  if (type === DataType.DOUBLE) return r ? new Float64Array(copy(r)) : Float64Array.from(t.doubleData ?? []);
  return null;
}

/** A TensorProto's dims as numbers. */
export function tensorDims(t: TensorProto): number[] {
  return (t.dims ?? []).map(num);
}

/**
 * A float32 graph input/output declaration. A number is a fixed size; a string a named dynamic
 * size; null (or a negative number) a dynamic size named `N` on axis 0 and `d<i>` elsewhere.
 */
export function floatValueInfo(name: string, dims: readonly (number | string | null)[]): ValueInfoProto {
  const dim = (d: number | string | null, i: number) =>
    typeof d === 'string'
      ? { dimParam: d }
      : d === null || d < 0
        ? { dimParam: i === 0 ? 'N' : `d${i}` }
        : { dimValue: d };
  return { name, type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: dims.map(dim) } } } };
}
