import type { Backend, Capability } from '@gradscope/core';

/**
 * A backend whose runtime is imported on its first `load`: the CLI registers every backend, but a
 * command that loads an ONNX model should not pay for importing tfjs (≈0.8 s) and the other way
 * round. `capabilities` are stated up front (a test checks them against the real backend's).
 */
export function lazyBackend(id: string, capabilities: readonly Capability[], make: () => Promise<Backend>): Backend {
  let real: Promise<Backend> | null = null;
  return {
    id,
    capabilities: new Set(capabilities),
    async load(source, options) {
      real ??= make();
      return (await real).load(source, options);
    },
  };
}
