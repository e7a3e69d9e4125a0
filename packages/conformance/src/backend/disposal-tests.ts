import { expect, it } from 'vitest';
import { mismatch } from '../compare.js';
import type { BackendContext } from './backend-context.js';

/**
 * Always: five identical captures (everything the backend declares) give the same numbers, each
 * hook disposes twice safely, and the resource count (if `setup.resources`) does not grow; a
 * second model of the fixture loads, runs and disposes (twice) without touching the first.
 */
export function disposalTests(ctx: BackendContext): void {
  const { setup: s, caps, fx, m, tol, L, x, capture } = ctx;

  it('repeats a capture identically, disposes hooks twice safely and leaks nothing', async () => {
    const req = {
      layers: caps.has('activations') ? m.goldenLayers.map(L) : [],
      gradients: caps.has('layer-gradients'),
      inputGradient: caps.has('input-gradients'),
      targets: [fx.target('top1')],
    };
    const once = async () => {
      const hook = await capture('x0', req);
      const snap = [
        hook.logits,
        ...hook.activations.values(),
        ...hook.gradients.values(),
        ...(hook.inputGradient ? [hook.inputGradient] : []),
      ].map((t) => Float32Array.from(t.data));
      hook.dispose();
      hook.dispose();
      return snap;
    };
    const first = await once();
    const before = s.resources?.();
    for (let i = 0; i < 4; i++) {
      const again = await once();
      expect(again.length).toBe(first.length);
      again.forEach((a, k) =>
        expect(
          mismatch(
            { data: a, shape: [a.length] },
            { data: first[k]!, shape: [a.length] },
            { relative: 1e-6 },
            'repeat',
          ),
        ).toBeNull(),
      );
    }
    if (before !== undefined) expect(s.resources!()).toBe(before);
  });

  it('loads and disposes a second model (twice) without disturbing the first', async () => {
    const before = s.resources?.();
    const other = await s.loadFixture(fx.name);
    await other.forward(x('x1'));
    await other.dispose();
    await other.dispose();
    if (before !== undefined) expect(s.resources!()).toBe(before);
    const y = await ctx.model.forward(x('x0'));
    expect(mismatch(y, fx.array(m.inputs.x0!.logits), tol.logits, 'logits after disposing another model')).toBeNull();
  });
}
