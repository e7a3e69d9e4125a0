import { expect, it } from 'vitest';
import { isGradscopeError, type Target } from '@gradscope/core';
import { mismatch } from '../compare.js';
import { errorOf } from '../setup.js';
import type { BackendContext } from './backend-context.js';

/**
 * Always: every target kind of the fixture's captures (class, given class, softmax, negated, free
 * seed) resolves like torch (class index, score, d score/d logits), and bad targets (class out of
 * range, wrong-length or non-finite seed, target count ≠ batch size) throw BadTargetError.
 */
export function targetTests(ctx: BackendContext): void {
  const { fx, m, tol, capture } = ctx;

  it('resolves every target kind like torch (class, score, d score/d logits)', async () => {
    for (const c of m.captures) {
      const hook = await capture(c.input, { targets: [fx.target(c.target)] });
      try {
        const what = `${c.input}/${c.target}`;
        expect(mismatch(hook.logits, fx.array(m.inputs[c.input]!.logits), tol.logits, `${what} logits`)).toBeNull();
        expect(hook.targets).toHaveLength(1);
        const t = hook.targets[0]!;
        expect(t.classIndex, what).toBe(c.classIndex);
        expect(Math.abs(t.score - c.score), `${what} score`).toBeLessThan(1e-4);
        expect(
          mismatch({ data: t.seed, shape: [t.seed.length] }, fx.array(c.seed), { maxAbs: 1e-5 }, `${what} seed`),
        ).toBeNull();
      } finally {
        hook.dispose();
      }
    }
  });

  it('rejects bad targets with BadTargetError', async () => {
    const bad: [string, Target[]][] = [
      ['class out of range', [{ kind: 'class', index: m.numClasses }]],
      ['negative class', [{ kind: 'softmax', index: -1 }]],
      ['seed of the wrong length', [{ kind: 'seed', seed: [1, 0, 0] }]],
      ['non-finite seed', [{ kind: 'seed', seed: Array.from({ length: m.numClasses }, (_, i) => (i ? 0 : NaN)) }]],
      ['two targets for one image', [{ kind: 'class' }, { kind: 'class' }]],
      ['no target', []],
    ];
    for (const [what, targets] of bad) {
      const e = await errorOf(() => capture('x0', { targets }));
      expect(isGradscopeError(e, 'bad-target'), `${what}: expected BadTargetError, got ${String(e)}`).toBe(true);
    }
  });
}
