import { defineMethod, zeros, type Capability, type Method } from '@gradscope/core';

/**
 * A stand-in method that needs exactly one capability, used to check that `Gradscope.explain` refuses
 * it on a backend that does not declare that capability. Its own `explain` returns zeros.
 */
export function probeMethod(capability: Capability): Method<Record<string, never>> {
  return defineMethod<Record<string, never>>({
    id: `conformance-probe-${capability}`,
    title: `probe (${capability})`,
    description: `Needs only '${capability}'.`,
    space: 'input',
    usesLayers: false,
    requires: [capability],
    options: {},
    async explain({ model }) {
      const [H, W] = [model.input.height, model.input.width];
      return {
        map: zeros([H, W]),
        raw: zeros([1, ...model.input.shape.slice(1)]),
        target: { kind: 'class', classIndex: 0, negate: false, score: 0, seed: new Float32Array(model.numClasses) },
      };
    },
  });
}
