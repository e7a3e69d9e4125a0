import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGradscope,
  isGradscopeError,
  missingCapabilities,
  toChannelsFirst,
  type Gradscope,
  type Method,
  type Explanation,
  type Model,
} from '@gradscope/core';
import { mismatch } from './compare.js';
import { backendLayerNames, layerName, layerNamesOf } from './layer-names.js';
import type { FixtureMethodCase } from './manifest.js';
import { FIXTURE_NAMES, openFixture, type Fixture } from './open-fixture.js';
import { perModelOf } from './per-model-capabilities.js';
import { errorOf, resolveSetup, type BackendSetup, type SetupInput, type SuiteOptions } from './setup.js';

/** Map checks every method must pass: `[H, W]`, finite, within [0, 1]. */
function checkMap(e: Explanation, H: number, W: number): void {
  expect(e.map.shape).toEqual([H, W]);
  let lo = Infinity,
    hi = -Infinity;
  for (const v of e.map.data) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  expect(lo, 'map minimum').toBeGreaterThanOrEqual(0);
  expect(hi, 'map maximum').toBeLessThanOrEqual(1);
  expect(e.raw.data.every(Number.isFinite), 'raw is finite').toBe(true);
}

const caseTitle = (c: FixtureMethodCase) =>
  `${c.input}/${c.target}${c.layers.length ? ` @ ${c.layers.join(' + ')}` : ''}${c.options ? ` ${JSON.stringify(c.options)}` : ''}`;

/**
 * Runs every method in `methods` through a Gradscope's `explain` on each fixture (default: all). Gating is by capabilities only: a method whose `requires` the backend does not meet
 * must be refused with MissingCapabilityError, and so must one needing a per-model capability
 * (`linear-head`) the loaded model does not declare; every other one is compared with its PyTorch goldens
 * (map ≤ 1e-4 max-abs; raw within the gradient tolerance, input-space raws after converting to
 * NCHW), or, for methods without goldens, checked for a finite `[H, W]` map in [0, 1].
 */
export function describeMethods(
  name: string,
  setup: SetupInput,
  methods: readonly Method<any>[],
  options: SuiteOptions = {},
): void {
  const s = resolveSetup(setup);
  for (const f of options.fixtures ?? FIXTURE_NAMES) describeOn(name, s, openFixture(f), methods);
}

function describeOn(name: string, s: BackendSetup, fx: Fixture, methods: readonly Method<any>[]): void {
  const caps = s.backend.capabilities;
  const m = fx.manifest;
  const { height: H, width: W } = m.input;

  describe(`conformance: methods on backend '${name}' (${fx.name})`, () => {
    let model: Model;
    let names: Map<string, string>;
    let gs: Gradscope;
    const run = (
      method: string,
      input: string,
      target: string,
      layers: readonly string[],
      options?: Record<string, unknown>,
    ) =>
      gs.explain(model, fx.input(input, model.input.layout), {
        method,
        target: fx.target(target),
        ...(layers.length ? { layer: layers.map((l) => layerName(names, l, model)) } : {}),
        ...(options ? { options } : {}),
      });

    beforeAll(async () => {
      model = await s.loadFixture(fx.name);
      names = backendLayerNames(m, model);
      gs = createGradscope({ methods });
    });
    afterAll(async () => {
      await gs?.dispose();
      await model?.dispose();
    });

    const runnable = methods.filter((mt) => missingCapabilities(mt, caps).length === 0);
    /** What `method` needs that the loaded model does not declare (per-model capabilities only: describeBackend checks the rest). */
    const droppedFor = (method: Method<any>) => missingCapabilities(method, model.capabilities);
    const expectRefused = async (method: Method<any>) => {
      const e = await errorOf(() => run(method.id, 'x0', 'top1', []));
      expect(isGradscopeError(e, 'missing-capability'), String(e)).toBe(true);
    };
    if (s.resources && runnable.length) {
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

    for (const method of methods) {
      const missing = missingCapabilities(method, caps);
      if (missing.length) {
        it(`refuses ${method.id} (needs ${missing.join(', ')}) with MissingCapabilityError`, () =>
          expectRefused(method));
        continue;
      }
      // Needs a per-model capability: runs when the model declares it, else must be refused.
      const perModel = perModelOf(method.requires);
      const when = perModel.length ? ` (refused if the model lacks ${perModel.join(', ')})` : '';
      const cases = m.methods.filter(
        (k) => k.method === method.id && Object.keys(k.options ?? {}).every((o) => o in method.options),
      );
      for (const k of cases) {
        it(`${method.id} ${caseTitle(k)} matches PyTorch${when}`, async () => {
          if (droppedFor(method).length) return expectRefused(method);
          const e = await run(method.id, k.input, k.target, k.layers, k.options);
          expect(e.method).toBe(method.id);
          checkMap(e, H, W);
          expect(e.target.classIndex).toBe(fx.capture(k.input, k.target)!.classIndex);
          if (k.layers.length && (method.usesLayers || e.layers.length)) {
            expect(e.layers.length, 'reported layers').toBe(k.layers.length);
            e.layers.forEach((l, i) => expect(layerNamesOf(m, k.layers[i]!), 'reported layer').toContain(l));
          }
          if (k.map) expect(mismatch(e.map, fx.array(k.map), m.tolerances.camMap, 'map')).toBeNull();
          if (k.raw) {
            const raw = method.space === 'input' ? toChannelsFirst(e.raw, model.input.layout) : e.raw;
            const tol = method.space === 'input' ? m.tolerances.gradients : m.tolerances.camRaw;
            expect(mismatch(raw, fx.array(k.raw), tol, 'raw', k.upToSign)).toBeNull();
          }
        });
      }
      if (!cases.length) {
        it(`${method.id} (no golden) gives a finite [H, W] map in [0, 1] for the top-1 class${when}`, async () => {
          if (droppedFor(method).length) return expectRefused(method);
          const e = await run(method.id, 'x0', 'top1', method.usesLayers ? [m.head.featureLayer] : []);
          expect(e.method).toBe(method.id);
          checkMap(e, H, W);
          expect(e.target.classIndex).toBe(m.inputs.x0!.top1);
        });
      }
    }
  });
}
