import protobuf from 'protobufjs/minimal.js';
import { describe, expect, it } from 'vitest';
import { repairProtobufLong } from '../src/protobuf-long.js';
import {
  Attributes,
  DataType,
  attribute,
  decodeModel,
  encodeModel,
  floatTensor,
  floatValueInfo,
  int64Tensor,
  num,
  tensorDims,
  tensorValues,
  type IModelProto,
  type TensorProto,
} from '../src/index.js';

const model = (initializer: TensorProto[], attrs = [attribute('k', 3)]): IModelProto => ({
  irVersion: 8,
  opsetImport: [{ domain: '', version: 16 }],
  graph: {
    name: 'g',
    node: [{ opType: 'Identity', input: ['x'], output: ['y'], name: 'n', attribute: attrs }],
    input: [floatValueInfo('x', [null, 3, 'h', 4])],
    output: [floatValueInfo('y', [null, 3, 'h', 4])],
    initializer,
  },
});

describe('encode / decode', () => {
  it('round-trips initializers, int64 fields above 2^32 included', () => {
    const big = 2 ** 40 + 5; // beyond 32 bits
    const bytes = encodeModel(
      model([floatTensor('f', [2, 2], [1, -2.5, 3, 0.25]), int64Tensor('i', [3], [-1, 7, big])]),
    );
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
    const m = decodeModel(bytes);
    const [f, i] = m.graph!.initializer!;
    expect(num(m.irVersion)).toBe(8);
    expect(tensorDims(f!)).toEqual([2, 2]);
    expect([...tensorValues(f!)!]).toEqual([1, -2.5, 3, 0.25]);
    expect(num(i!.dataType)).toBe(DataType.INT64);
    expect([...tensorValues(i!)!]).toEqual([-1, 7, big]);
  });

  it('reads values stored in typed fields instead of raw data', () => {
    const m = decodeModel(
      encodeModel(
        model([
          { name: 'a', dims: [2], dataType: DataType.INT64, int64Data: [4, -9] },
          { name: 'b', dims: [2], dataType: DataType.INT32, int32Data: [6, -1] },
          { name: 'c', dims: [1], dataType: DataType.DOUBLE, doubleData: [0.1] },
          { name: 'd', dims: [1], dataType: DataType.FLOAT, floatData: [1.5] },
          { name: 'e', dims: [1], dataType: DataType.BOOL, int32Data: [1] },
        ]),
      ),
    );
    const values = m.graph!.initializer!.map((t) => (t && tensorValues(t) ? [...tensorValues(t)!] : null));
    expect(values).toEqual([[4, -9], [6, -1], [0.1], [1.5], null]);
  });

  it('declares float value infos with fixed, named and batch/anonymous dynamic sizes', () => {
    const dims = decodeModel(encodeModel(model([]))).graph!.input![0]!.type!.tensorType!.shape!.dim!;
    expect(dims.map((d) => d.dimParam || num(d.dimValue))).toEqual(['N', 3, 'h', 4]);
    expect(floatValueInfo('s', [-1, 1]).type!.tensorType!.shape!.dim).toEqual([{ dimParam: 'N' }, { dimValue: 1 }]);
  });
});

describe('attributes', () => {
  it('encode each kind and read back with defaults', () => {
    const t = floatTensor('value', [1], [0]);
    const attrs = [
      attribute('i', 2),
      attribute('is', [1, 2, 3]),
      attribute('s', 'same'),
      attribute('f', { float: 0.5 }),
      attribute('fs', { floats: [0.25, 4] }),
      attribute('t', t),
    ];
    const node = decodeModel(encodeModel(model([], attrs))).graph!.node![0]!;
    const a = new Attributes(node);
    expect([a.int('i', 0), a.ints('is', []), a.string('s', ''), a.float('f', 0)]).toEqual([2, [1, 2, 3], 'same', 0.5]);
    expect(node.attribute![4]!.floats).toEqual([0.25, 4]);
    expect([...tensorValues(a.tensor('t')!)!]).toEqual([0]);
    expect([a.has('missing'), a.int('missing', 7), a.ints('missing', [1]), a.string('missing', 'x')]).toEqual([
      false,
      7,
      [1],
      'x',
    ]);
  });
});

describe('repairProtobufLong', () => {
  const util = protobuf.util as unknown as { Long: unknown };
  const working = util.Long;

  it('puts back a Long that a loader wrapped in an ES-module namespace, and leaves a working one alone', () => {
    expect(typeof (working as { fromBits?: unknown }).fromBits).toBe('function');
    try {
      util.Long = { default: working };
      repairProtobufLong();
      expect(util.Long).toBe(working);
      repairProtobufLong();
      expect(util.Long).toBe(working);
      util.Long = { default: {} }; // no usable Long at all: numbers instead
      repairProtobufLong();
      expect(util.Long).toBeNull();
    } finally {
      util.Long = working;
      protobuf.configure();
    }
  });
});
