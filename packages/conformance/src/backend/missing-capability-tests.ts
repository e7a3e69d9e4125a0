import { expect, it } from 'vitest';
import { CAPABILITIES, createGradscope, isGradscopeError } from '@gradscope/core';
import { PER_MODEL_CAPABILITIES } from '../per-model-capabilities.js';
import { probeMethod } from '../probe-method.js';
import { errorOf } from '../setup.js';
import type { BackendContext } from './backend-context.js';

/**
 * Every capability the model does not declare (undeclared on the backend, listed in the title, or
 * a per-model one this model dropped): core's `explain` refuses a probe method needing exactly
 * that capability with MissingCapabilityError naming it.
 */
export function missingCapabilityTests(ctx: BackendContext): void {
  const { caps, x } = ctx;
  const undeclared = CAPABILITIES.filter((c) => !caps.has(c));
  const maybeDropped = PER_MODEL_CAPABILITIES.filter((c) => caps.has(c));
  if (!undeclared.length && !maybeDropped.length) return;

  const title = undeclared.length ? ` (${undeclared.join(', ')})` : '';
  it(`is refused by explain for capabilities the model does not declare${title}`, async () => {
    const { model } = ctx;
    const gs = createGradscope();
    try {
      for (const c of CAPABILITIES.filter((c) => !model.capabilities.has(c))) {
        const probe = probeMethod(c);
        gs.register([probe]);
        const e = await errorOf(() => gs.explain(model, x('x0'), { method: probe.id }));
        expect(isGradscopeError(e, 'missing-capability'), `${c}: ${String(e)}`).toBe(true);
        expect((e as { missing?: readonly string[] }).missing).toEqual([c]);
      }
    } finally {
      await gs.dispose();
    }
  });
}
