import { expect, it } from 'vitest';
import { isGradscopeError } from '@gradscope/core';
import { mismatch } from '../compare.js';
import { errorOf } from '../setup.js';
import type { BackendContext } from './backend-context.js';

/**
 * `activations`: the golden layers' `[1, C, h, w]` activations of every input equal torch's, and a
 * capture of an unknown layer throws UnknownLayerError.
 */
export function activationTests(ctx: BackendContext): void {
  const { caps, fx, m, tol, L, capture } = ctx;
  if (!caps.has('activations')) return;

  it('captures channels-first activations equal to torch', async () => {
    for (const id of Object.keys(m.inputs)) {
      const layers = m.goldenLayers.map(L);
      const hook = await capture(id, { layers, targets: [{ kind: 'class' }] });
      try {
        for (const logical of m.goldenLayers) {
          const a = hook.activations.get(L(logical));
          expect(a, `${id} ${logical}`).toBeDefined();
          expect(
            mismatch(a!, fx.array(m.inputs[id]!.activations[logical]!), tol.activations, `${id} ${logical} activation`),
          ).toBeNull();
        }
      } finally {
        hook.dispose();
      }
    }
  });

  it('rejects an unknown layer with UnknownLayerError', async () => {
    const e = await errorOf(() => capture('x0', { layers: ['no-such-layer'], targets: [{ kind: 'class' }] }));
    expect(isGradscopeError(e, 'unknown-layer'), String(e)).toBe(true);
  });
}
