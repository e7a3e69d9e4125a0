import { expect, it } from 'vitest';
import { mismatch } from '../compare.js';
import type { BackendContext } from './backend-context.js';

/** Always: the forward logits of every fixture input equal torch's (logits tolerance). */
export function forwardTests(ctx: BackendContext): void {
  const { fx, m, tol, x } = ctx;
  for (const id of Object.keys(m.inputs)) {
    it(`forward of ${id} gives the torch logits`, async () => {
      const y = await ctx.model.forward(x(id));
      expect(mismatch(y, fx.array(m.inputs[id]!.logits), tol.logits, 'logits')).toBeNull();
    });
  }
}
