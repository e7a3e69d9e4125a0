import { expect, it } from 'vitest';
import { mismatch } from '../compare.js';
import type { BackendContext } from './backend-context.js';

/** `layer-gradients`: for every golden capture, the gradients at both golden layers equal torch's. */
export function layerGradientTests(ctx: BackendContext): void {
  const { caps, fx, m, tol, L, capture } = ctx;
  if (!caps.has('layer-gradients')) return;

  for (const c of m.captures) {
    it(`layer gradients of ${c.input}/${c.target} equal torch's`, async () => {
      const hook = await capture(c.input, {
        layers: m.goldenLayers.map(L),
        gradients: true,
        targets: [fx.target(c.target)],
      });
      try {
        for (const logical of m.goldenLayers) {
          const g = hook.gradients.get(L(logical));
          expect(g, logical).toBeDefined();
          expect(mismatch(g!, fx.array(c.gradients[logical]!), tol.gradients, `${logical} gradient`)).toBeNull();
        }
      } finally {
        hook.dispose();
      }
    });
  }
}
