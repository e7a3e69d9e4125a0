import protobuf from 'protobufjs/minimal.js';

/**
 * protobufjs 6 finds `long` with a dynamic `require`; under some loaders (vitest, bundlers) that
 * returns the ES-module namespace `{ default: Long }` instead of `Long`, and onnx-proto then fails at
 * load. This repairs exactly that broken state (and does nothing otherwise). It must be evaluated
 * before `onnx-proto`, which `onnx.ts` ensures by importing it first.
 */
export function repairProtobufLong(): void {
  const util = protobuf.util as unknown as { Long?: { fromBits?: unknown; default?: { fromBits?: unknown } } | null };
  const L = util.Long;
  if (L && typeof L.fromBits !== 'function') {
    util.Long = L.default && typeof L.default.fromBits === 'function' ? (L.default as never) : null;
    protobuf.configure();
  }
}

repairProtobufLong();
