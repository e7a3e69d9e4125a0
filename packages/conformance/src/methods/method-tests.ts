import { expect, it } from 'vitest';
import { missingCapabilities, type Method } from '@gradscope/core';
import { perModelOf } from '../per-model-capabilities.js';
import { checkMap } from './check-map.js';
import { goldenCaseTest } from './golden-case-test.js';
import type { MethodContext } from './method-context.js';

/**
 * The tests of one method: refused with MissingCapabilityError when the backend lacks a
 * requirement; otherwise one test per golden case of its id whose options it declares, or, with
 * no such case, a finite `[H, W]` map in [0, 1] for the top-1 class of `x0`. A method needing a
 * per-model capability (`linear-head`) must be refused where the loaded model lacks it.
 */
export function methodTests(ctx: MethodContext, method: Method<any>): void {
  const { caps, m, run, droppedFor, expectRefused } = ctx;
  const missing = missingCapabilities(method, caps);
  if (missing.length) {
    it(`refuses ${method.id} (needs ${missing.join(', ')}) with MissingCapabilityError`, () => expectRefused(method));
    return;
  }
  // Needs a per-model capability: runs when the model declares it, else must be refused.
  const perModel = perModelOf(method.requires);
  const when = perModel.length ? ` (refused if the model lacks ${perModel.join(', ')})` : '';
  const cases = m.methods.filter(
    (k) =>
      k.method === method.id &&
      Object.keys(k.options ?? {}).every((o) => o in method.options) &&
      (!k.backends || k.backends.includes(ctx.setup.backend.id)),
  );
  for (const k of cases) goldenCaseTest(ctx, method, k, when);
  if (!cases.length) {
    it(`${method.id} (no golden) gives a finite [H, W] map in [0, 1] for the top-1 class${when}`, async () => {
      if (droppedFor(method).length) return expectRefused(method);
      const e = await run(method.id, 'x0', 'top1', method.usesLayers ? [m.head.featureLayer] : []);
      expect(e.method).toBe(method.id);
      checkMap(e, m.input.height, m.input.width);
      expect(e.target.classIndex).toBe(m.inputs.x0!.top1);
    });
  }
}
