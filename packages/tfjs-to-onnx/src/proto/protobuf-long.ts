import protobuf from 'protobufjs/minimal.js';

/**
 * protobufjs 6 loads `long` through a dynamic `require`; some loaders (vitest, bundlers) hand back the
 * ES-module namespace `{ default: Long }`, which breaks 64-bit fields. Put the real `Long` (or none)
 * back; a no-op when protobufjs already has a working one. Must run before `onnx-proto` is used.
 */
export function fixProtobufLong(): void {
  const util = protobuf.util as unknown as { Long?: { fromBits?: unknown; default?: { fromBits?: unknown } } | null };
  const L = util.Long;
  if (!L || typeof L.fromBits === 'function') return;
  util.Long = L.default && typeof L.default.fromBits === 'function' ? (L.default as never) : null;
  protobuf.configure();
}
