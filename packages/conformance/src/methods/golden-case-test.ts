import { expect, it } from 'vitest';
import {
  isGradscopeError,
  toChannelsFirst,
  type Capability,
  type Method,
  type MissingCapabilityError,
} from '@gradscope/core';
import { mismatch } from '../compare.js';
import { layerNamesOf } from '../layer-names.js';
import type { FixtureMethodCase } from '../manifest.js';
import { checkMap } from './check-map.js';
import { logParity } from './parity-log.js';
import type { MethodContext } from './method-context.js';

const caseTitle = (c: FixtureMethodCase) =>
  `${c.input}/${c.target}${c.layers.length ? ` @ ${c.layers.join(' + ')}` : ''}${c.options ? ` ${JSON.stringify(c.options)}` : ''}`;

/**
 * One golden case of `method` (`when` ends the title): refused if the model dropped a per-model
 * capability the method needs, otherwise a valid map of the torch class, the case's layers
 * reported, the map within the CAM map tolerance and the raw map (input-space: after converting
 * to NCHW) within the CAM raw or gradient tolerance, up to sign where the case says so.
 */
export function goldenCaseTest(ctx: MethodContext, method: Method<any>, k: FixtureMethodCase, when: string): void {
  const { fx, m, run, droppedFor, expectRefused } = ctx;
  const { height: H, width: W } = m.input;

  it(`${method.id} ${caseTitle(k)} matches PyTorch${when}`, async () => {
    if (droppedFor(method).length) return expectRefused(method);
    // an option may need a capability beyond the method's own (e.g. `rectifiers: 'relu'`): where the
    // backend lacks it, the case must be refused with MissingCapabilityError naming it
    const e = await run(method.id, k.input, k.target, k.layers, k.options).catch((err: unknown) => {
      const missing = isGradscopeError(err, 'missing-capability') ? (err as MissingCapabilityError).missing : [];
      if (missing.length && missing.every((c) => !ctx.caps.has(c as Capability))) return null;
      throw err;
    });
    if (e === null) return;
    expect(e.method).toBe(method.id);
    checkMap(e, H, W);
    expect(e.target.classIndex).toBe(fx.capture(k.input, k.target)!.classIndex);
    if (k.layers.length && (method.usesLayers || e.layers.length)) {
      expect(e.layers.length, 'reported layers').toBe(k.layers.length);
      e.layers.forEach((l, i) => expect(layerNamesOf(m, k.layers[i]!), 'reported layer').toContain(l));
    }
    const raw = method.space === 'input' ? toChannelsFirst(e.raw, ctx.model.input.layout) : e.raw;
    await logParity(
      { backend: ctx.label, fixture: fx.name, method: method.id, case: caseTitle(k) },
      k.map ? { actual: e.map, golden: fx.array(k.map) } : null,
      k.raw ? { actual: raw, golden: fx.array(k.raw), upToSign: k.upToSign } : null,
    );
    if (k.map) expect(mismatch(e.map, fx.array(k.map), k.tolerance ?? m.tolerances.camMap, 'map')).toBeNull();
    if (k.raw) {
      const tol = k.tolerance ?? (method.space === 'input' ? m.tolerances.gradients : m.tolerances.camRaw);
      expect(mismatch(raw, fx.array(k.raw), tol, 'raw', k.upToSign)).toBeNull();
    }
  });
}
