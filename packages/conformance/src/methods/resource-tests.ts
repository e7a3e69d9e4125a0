import { expect, it } from 'vitest';
import { missingCapabilities, type Method } from '@gradscope/core';
import type { MethodContext } from './method-context.js';

/**
 * With `setup.resources`: running every method the backend and model can run a second time does
 * not grow the resource count (run on `x0`, top-1, at the pooled layer for layer methods).
 */
export function resourceTests(ctx: MethodContext, methods: readonly Method<any>[]): void {
  const { setup: s, caps, m, run, droppedFor } = ctx;
  const runnable = methods.filter((mt) => missingCapabilities(mt, caps).length === 0);
  if (!s.resources || !runnable.length) return;

  it('runs every runnable method a second time without growing the backend resources', async () => {
    const once = async () => {
      for (const mt of runnable.filter((mt) => droppedFor(mt).length === 0))
        await run(mt.id, 'x0', 'top1', mt.usesLayers ? [m.head.featureLayer] : []);
    };
    await once();
    const before = s.resources!();
    await once();
    expect(s.resources!()).toBe(before);
  });
}
